import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 办法 七(二): 一票否决 on a member, group or branch, for the year of its date.
    @Suite struct VetoesTests {
        struct Record: Content {
            let id: UUID; let unit: String; let veto: String; let year: Int; let date: String; let reason: String
            let withdrawn: Bool; let withdrawnReason: String?
        }

        static func record(_ api: inout QuarterAPI, on unit: String, _ body: [String: Any], as user: String = "zuzhi")
            async throws -> TestingHTTPResponse
        {
            try await api.call(.POST, "/api/v1/units/\(unit)/vetoes", as: user, json: body)
        }

        static let member = "branch-1-group-1-member-1"

        /// After publication the results are served as stored: a veto recorded then marks the rows of its chain
        /// (member, group, branch) in every quarter of its year, and its withdrawal clears them; no other row moves.
        @Test func 七二_aVetoAfterPublicationMarksTheStoredRowsOfItsChainAndItsWithdrawalClearsThem() async throws {
            try await withKaohe { app in
                _ = try await SyntheticBureau(
                    shape: BureauShape(branches: 2, groupsPerBranch: 1, membersPerGroup: 2),
                    progress: { _ in }
                ).generate(on: app)
                var api = QuarterAPI(app)
                func marked() async throws -> Set<String> {
                    var units: Set<String> = []
                    for stored in try await StoredResults.query(on: app.db).with(\.$period).all() {
                        for row in try stored.decoded() where row.vetoed {
                            units.insert("\(stored.period.code) \(row.unit)")
                        }
                    }
                    for filed in try await FiledResult.query(on: app.db).with(\.$period).all() {
                        if try filed.decoded(rank: 0).vetoed { units.insert("\(filed.period.code) \(filed.unitCode)") }
                    }
                    return units
                }
                #expect(try await marked().isEmpty)
                let created = try await Self.record(
                    &api, on: Self.member, ["veto": "V3", "date": "2026-05-03", "reason": "受党内警告处分"])
                #expect(created.status == .created, "\(created.body.string)")
                let chain = [Self.member, "branch-1-group-1", "branch-1"]
                #expect(
                    try await marked()
                        == Set(["2026Q1", "2026Q2", "2026Q3"].flatMap { code in chain.map { "\(code) \($0)" } }))
                api.period = "2026Q2"
                let rows = try await api.call(.GET, "results", as: "zuzhi").content.decode([Results.Row].self)
                #expect(rows.filter(\.vetoed).map(\.unit) == ["branch-1"], "the API serves the marked rows")

                let record = try created.content.decode(Record.self)
                let path =
                    "/api/v1/units/\(Self.member)/vetoes/\(record.id)?reason=%E5%A4%8D%E6%A0%B8%E6%9C%89%E8%AF%AF"
                #expect(try await api.call(.DELETE, path, as: "shuji").status == .noContent)
                #expect(try await marked().isEmpty)
            }
        }

        /// 细则 5.2's extra veto of a member (V6) is the member rubric's alone: it strikes the member, not the group or
        /// branch above, whose sheets stay readable (a member's V6 once made them answer 500 for the year).
        @Test func 七二_aLevelsOwnVetoStaysOnItsLevelAndTheSheetsAboveStayReadable() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let created = try await Self.record(
                    &api, on: Self.member, ["veto": "V6", "date": "2026-08-03", "reason": "细则 5.2 所列事项"])
                #expect(created.status == .created, "\(created.body.string)")
                let struck = try await Vetoes.struck(in: 2026, on: app.db)
                #expect(struck == [Self.member: ["V6"]])
                let above = [
                    try await api.call(.GET, "assessments/branch-1", as: "zuzhi").status,
                    try await api.call(.GET, "assessments/branch-1-group-1", as: "zuzhi").status,
                ]
                #expect(above == [.ok, .ok])
                #expect(try await !api.sheet("branch-1").score.vetoed)
            }
        }

        /// A branch's veto strikes its groups (the five events of 七(二) stand in every level's rubric), not its members.
        @Test func 七二_aBranchsVetoStrikesItsGroups() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let created = try await Self.record(
                    &api, on: "branch-2", ["veto": "V2", "date": "2026-08-03", "reason": "党风廉政建设发生严重问题"])
                #expect(created.status == .created, "\(created.body.string)")
                let struck = try await Vetoes.struck(in: 2026, on: app.db)
                #expect(Set(struck.keys) == ["branch-2", "branch-2-group-1", "branch-2-group-2"])
            }
        }

        /// No veto breaks a read: every veto of every shipped rubric, recorded on a unit of each level, leaves every
        /// sheet of the quarter and every board readable.
        @Test func 七二_everyVetoOnEveryLevelLeavesEverySheetAndBoardReadable() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for unit in ["branch-1", "branch-1-group-1", Self.member] {
                    let kind = try #require(try await Unit.query(on: app.db).filter(\.$code == unit).first()).kind
                    for veto in try await Vetoes.listed(for: kind, on: app.db) {
                        let created = try await Self.record(
                            &api, on: unit, ["veto": veto.id, "date": "2026-08-03", "reason": veto.text])
                        #expect(created.status == .created, "\(unit) \(veto.id): \(created.body.string)")
                    }
                }
                struct Line: Decodable { let unit: String }
                var statuses: [String: HTTPStatus] = [:]
                for level in ["branch", "group", "member"] {
                    let list = try await api.call(.GET, "assessments?level=\(level)", as: "zuzhi")
                    statuses["list \(level)"] = list.status
                    let lines = (try? list.content.decode([Line].self)) ?? []
                    for line in lines.prefix(12) {
                        statuses[line.unit] = try await api.call(.GET, "assessments/\(line.unit)", as: "zuzhi").status
                    }
                    statuses["results \(level)"] = try await api.call(.GET, "results?level=\(level)", as: "zuzhi")
                        .status
                }
                let browser = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q3")
                statuses["board"] = try await browser.get("/periods/2026Q3").status
                statuses["vetoes page"] = try await browser.get("/years/2026/vetoes").status
                statuses["selection"] = try await browser.get("/years/2026/selection").status
                let broken = statuses.filter { $0.value.code >= 500 }
                #expect(broken.isEmpty, "\(broken)")
                #expect(statuses.count > 10)
            }
        }

        @Test func 七二_aVetoOnAMemberStrikesItsGroupAndBranchForTheYearOfItsDate() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let created = try await Self.record(
                    &api, on: Self.member, ["veto": "V3", "date": "2026-05-03", "reason": "受党内警告处分"])
                #expect(created.status == .created, "\(created.body.string)")
                let record = try created.content.decode(Record.self)
                #expect(record.year == 2026 && record.veto == "V3" && record.unit == Self.member)
                try await Self.record(&api, on: "branch-2", ["veto": "V4", "date": "2025-12-30", "reason": "上一年度的事项"])

                let struck = try await Vetoes.struck(in: 2026, on: app.db)
                #expect(
                    Set(struck.keys) == [Self.member, "branch-1-group-1", "branch-1"],
                    "the member, its group and its branch; never the general branch")
                #expect(try await api.sheet("branch-1").score.vetoed, "the branch's sheet carries the flag")
                #expect(try await !api.sheet("branch-2").score.vetoed, "a veto of 2025 does not strike 2026")
                let struck2025 = try await Vetoes.struck(in: 2025, on: app.db).keys.sorted()
                #expect(
                    struck2025 == ["branch-2", "branch-2-group-1", "branch-2-group-2"],
                    "a branch's veto, with its groups")
            }
        }

        @Test func 七二_aWithdrawalKeepsTheRecordWithItsReason() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let record = try await Self.record(
                    &api, on: "branch-1", ["veto": "V5", "date": "2026-08-01", "reason": "一名党员违反计划生育政策"]
                )
                .content.decode(Record.self)
                let path = "/api/v1/units/branch-1/vetoes/\(record.id)"
                #expect(
                    try await api.call(.DELETE, path, as: "zuzhi").status == .unprocessableEntity,
                    "a withdrawal needs its reason")
                #expect(try await api.call(.DELETE, path, as: "zhibu1").status == .forbidden)
                #expect(
                    try await api.call(.DELETE, "/api/v1/units/branch-2/vetoes/\(record.id)?reason=x", as: "zuzhi")
                        .status == .notFound,
                    "a record is withdrawn on its own unit")
                #expect(
                    try await api.call(.DELETE, path + "?reason=%E5%A4%8D%E6%A0%B8%E6%9C%89%E8%AF%AF", as: "shuji")
                        .status == .noContent)
                #expect(
                    try await api.call(.DELETE, path + "?reason=again", as: "shuji").status == .conflict,
                    "withdrawn once")
                let listed = try await api.call(.GET, "/api/v1/units/branch-1/vetoes?year=2026", as: "zhibu1").content
                    .decode([Record].self)
                #expect(
                    listed.count == 1 && listed[0].withdrawn && listed[0].withdrawnReason == "复核有误",
                    "kept, with its reason")
                #expect(try await !api.sheet("branch-1").score.vetoed, "a withdrawn veto strikes no more")
                let actions = try await AuditEvent.query(on: app.db).filter(\.$subject == "unit:branch-1").all().map(
                    \.action)
                #expect(actions.contains("veto.record") && actions.contains("veto.withdraw"))
            }
        }

        @Test func 七二_badInputIsRefusedNamingTheFieldAndNothingIsRecorded() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let good: [String: Any] = ["veto": "V1", "date": "2026-05-03", "reason": "事由"]
                for (unit, change, field) in [
                    ("branch-1", ["veto": "V9"], "veto"), ("branch-1", ["veto": ""], "veto"),
                    ("branch-1", ["reason": "  "], "reason"), ("branch-1", ["date": "2026-13-01"], "date"),
                    ("branch-1", ["date": "2099-01-01"], "date"), ("general", [:], "unit"),
                    ("branch-1", ["evidence": [UUID().uuidString]], "evidence"),
                ] as [(String, [String: Any], String)] {
                    let refused = try await Self.record(&api, on: unit, good.merging(change) { $1 })
                    #expect(refused.status == .unprocessableEntity, "\(change)")
                    #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix(field), "\(change)")
                }
                #expect(try await Self.record(&api, on: "branch-9", good).status == .notFound)
                #expect(try await VetoRecord.query(on: app.db).count() == 0)
                // A member's rubric lists one more event than a branch's.
                #expect(
                    try await Self.record(&api, on: Self.member, good.merging(["veto": "V6"]) { $1 }).status == .created
                )
                #expect(
                    try await Self.record(&api, on: "branch-1", good.merging(["veto": "V6"]) { $1 }).status
                        == .unprocessableEntity)
            }
        }

        @Test func 七二_theOrganizerOrTheApproverRecordsAndTheBranchReadsItsOwn() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let body: [String: Any] = ["veto": "V1", "date": "2026-05-03", "reason": "事由"]
                for user in ["zhibu1", "kaohe1", "fushuji", "admin", "dangyuan1"] {
                    let refused = try await Self.record(&api, on: "branch-1", body, as: user)
                    #expect(refused.status == .forbidden, "\(user)")
                }
                #expect(try await Self.record(&api, on: "branch-1", body, as: "shuji").status == .created)
                #expect(try await Self.record(&api, on: "branch-2-group-1", body, as: "zuzhi").status == .created)
                #expect(try await api.call(.GET, "/api/v1/units/branch-1/vetoes", as: "zhibu1").status == .ok)
                #expect(
                    try await api.call(.GET, "/api/v1/units/branch-2/vetoes", as: "zhibu1").status == .forbidden,
                    "another branch's")
                #expect(
                    try await api.call(.GET, "/api/v1/units/branch-2/vetoes", as: "zhibu2").content.decode(
                        [Record].self
                    ).map(\.unit)
                        == ["branch-2-group-1"], "the unit's and those below it")
                #expect(try await api.call(.GET, "/api/v1/units/branch-1/vetoes", as: "dangyuan1").status == .forbidden)
                #expect(
                    try await api.call(.GET, "/api/v1/units/general/vetoes", as: "fushuji").content.decode(
                        [Record].self
                    ).count == 2)
            }
        }

        /// A city's 56,000 units are no select: past `VetoesPage.wholeList` the form lists the branches, and a search
        /// by name or code finds any unit, 50 at most, each named by its path; the unit already chosen stays offered.
        @Test func aCitysUnitsAreFoundBySearchNotListed() async throws {
            try await withKaohe { app in
                // 20 branches × 2 groups × 8 members: 380 units, past the whole list's 300.
                _ = try await SyntheticBureau(
                    shape: BureauShape(branches: 20, groupsPerBranch: 2, membersPerGroup: 8), progress: { _ in }
                )
                .generate(on: app)
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/years/2026/vetoes")
                func options(_ path: String) async throws -> [String] {
                    let page = try await organizer.get(path)
                    #expect(page.status == .ok)
                    let select = try #require(
                        page.body.string.components(separatedBy: #"<select id="unit""#).dropFirst().first?
                            .components(separatedBy: "</select>").first)
                    return select.components(separatedBy: #"<option value=""#).dropFirst().map {
                        String($0.prefix { $0 != "\"" })
                    }
                    .filter { !$0.isEmpty }
                }
                let first = try await options("/years/2026/vetoes")
                #expect(first.count == 20 && first.allSatisfy { !$0.contains("group") }, "the branches, until a search")
                #expect(try await organizer.get("/years/2026/vetoes").body.string.contains(#"name="find""#))
                let member = "branch-7-group-2-member-3"
                #expect(try await options("/years/2026/vetoes?find=\(member)") == [member])
                #expect(
                    try await organizer.get("/years/2026/vetoes?find=\(member)").body.string.contains(" › "),
                    "named by its path")
                #expect(try await options("/years/2026/vetoes?find=member").count == VetoesPage.foundAtMost)
                let kept = try await options("/years/2026/vetoes?find=branch-3-group-1&unit=\(member)")
                #expect(kept.contains(member) && kept.contains("branch-3-group-1"), "the chosen unit stays offered")
                // A search after filling in the event keeps what was filled in, and the next search carries it again.
                let reason = "酒后驾驶".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
                let carried = try await organizer.get(
                    "/years/2026/vetoes?find=branch-3&veto=V5&date=2026-11-02&reason=\(reason)"
                ).body.string
                #expect(
                    carried.contains(#"<option value="V5" selected>"#)
                        && carried.contains(#"name="date" value="2026-11-02" required"#))
                #expect(carried.contains(">酒后驾驶</textarea>"))
                // (the page's own search form, not the top bar's)
                let search = try #require(
                    carried.components(separatedBy: #"role="search""#).dropFirst()
                        .map { $0.components(separatedBy: "</form>").first ?? "" }
                        .first { $0.contains(#"name="find""#) })
                #expect(
                    search.contains(#"name="veto" value="V5""#) && search.contains(#"name="reason" value="酒后驾驶""#)
                        && search.contains(#"name="date" value="2026-11-02""#))
            }
        }

        @Test func 七二_aDeductionThatIsAVetoOffersToRecordItAndTheBoardShowsTheFlag() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let added = try await api.call(
                    .POST, "assessments/branch-2/entries", as: "zhibu2",
                    json: ["rule": "3.2.c", "note": "一名党员违反计划生育政策"])
                #expect(added.status == .created)
                let entry = try added.content.decode(QuarterAPI.Entry.self)
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q3/sheets/branch-2")
                let sheet = try await organizer.get("/periods/2026Q3/sheets/branch-2").body.string
                let offer = "/years/2026/vetoes?unit=branch-2&amp;veto=V5&amp;entry=\(entry.id.uuidString)#record"
                #expect(sheet.contains("同属一票否决事项 V5") && sheet.contains(offer), "the deduction offers the veto")
                let secretary = try await Browser.signedIn(app, "zhibu2", on: "/periods/2026Q3/sheets/branch-2")
                #expect(
                    !(try await secretary.get("/periods/2026Q3/sheets/branch-2").body.string.contains("记录一票否决")),
                    "to its recorders only")

                let form = try await organizer.get(offer.replacingOccurrences(of: "&amp;", with: "&")).body.string
                #expect(form.contains("一名党员违反计划生育政策</textarea>"), "the entry's note is the reason")
                #expect(form.contains("<option value=\"V5\" selected>"))
                let refused = try await organizer.post(
                    "/years/2026/vetoes", form: ["unit": "branch-2", "veto": "V5", "date": "2026-09-01", "reason": ""])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("请写明事由"))
                let saved = try await organizer.post(
                    "/years/2026/vetoes",
                    form: [
                        "unit": "branch-2", "veto": "V5", "date": "2026-09-01",
                        "reason": "一名党员违反计划生育政策",
                    ])
                #expect(saved.status == .seeOther)
                #expect(try await organizer.get("/periods/2026Q3/sheets/branch-2").body.string.contains("已记录一票否决 V5"))
                let page = try await organizer.get("/years/2026/vetoes").body.string
                #expect(page.contains("机关第二党支部（V5）"))

                for unit in ["branch-1", "branch-2", "branch-3", "branch-4"] { try await api.approve(unit) }
                try await api.call(.POST, "publish", as: "zuzhi")
                let board = try await organizer.get("/periods/2026Q3/results").body.string
                #expect(board.components(separatedBy: "取消评比资格").count - 1 == 1, "one branch struck on the board")
                let csv = try await api.call(.GET, "results.csv", as: "zuzhi").body.string
                #expect(csv.contains("（取消评比资格）"))
            }
        }
        /// Two withdrawals of one veto at the same moment: one is done, the other told it is already withdrawn, one
        /// audit event (both succeeded with two events on PostgreSQL).
        @Test func twoWithdrawalsAtOnceWithdrawItOnce() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let record = try await Self.record(
                    &api, on: "branch-1", ["veto": "V5", "date": "2026-08-01", "reason": "一名党员违反计划生育政策"]
                )
                .content.decode(Record.self)
                _ = try await api.token("zuzhi")
                _ = try await api.token("shuji")
                let path = "/api/v1/units/branch-1/vetoes/\(record.id)?reason=x"
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for user in ["zuzhi", "shuji", "zuzhi", "shuji"] {
                        var caller = api
                        group.addTask { try await caller.call(.DELETE, path, as: user).status }
                    }
                    return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .noContent }.count == 1, "\(statuses)")
                #expect(statuses.allSatisfy { $0 == .noContent || $0 == .conflict }, "\(statuses)")
                #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "veto.withdraw").count() == 1)
            }
        }
    }
}
