import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 细则 2.5, 5.1, 5.3, 6.1 and 6.3: the yearly facts are kept where they arise — the secretary's 民主评议 and
    /// 满意率, the organizer's 部门考核 and 内审 findings, the secretary's post, the 局党组成员's attendance — and each
    /// becomes a suggestion, with its records, on the quarter's sheet the rubric names.
    @Suite struct YearFactsTests {
        static let facts = "/api/v1/units/branch-1/facts/2026"
        static let (one, two, three) = (
            "branch-1-group-1-member-1", "branch-1-group-1-member-2", "branch-1-group-1-member-3"
        )

        /// The fourth quarter opened, its sheets in draft: the year's results are suggested there.
        static func openFourthQuarter(_ api: inout QuarterAPI) async throws {
            #expect(
                try await api.call(.POST, "/api/v1/periods", as: "zuzhi", json: ["quarter": "2026Q4"]).status
                    == .created)
            api.period = "2026Q4"
        }

        static func suggested(_ api: inout QuarterAPI, _ unit: String = "branch-1") async throws
            -> [String: QuarterAPI.Suggestion]
        {
            Dictionary(try await api.sheet(unit).suggestions.map { ($0.rule, $0) }, uniquingKeysWith: { a, _ in a })
        }

        @Test func 五一_五三_theYearsResultsAreSuggestedOnTheFourthQuartersSheetWithTheNames() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let saved = try await api.call(
                    .PUT, Self.facts, as: "zhibu1",
                    json: [
                        "appraisals": [Self.one: "basic", Self.two: "failed", Self.three: "qualified"],
                        "satisfaction": ["rate": "88.5", "day": "2026-11-20"],
                    ])
                #expect(saved.status == .ok, "\(saved.body.string)")
                // 部门考核 is the personnel office's, through the organizer.
                let notHis = try await api.call(.PUT, Self.facts, as: "zhibu1", json: ["reviews": [Self.one: "basic"]])
                #expect(notHis.status == .forbidden)
                #expect(
                    try await api.call(.PUT, Self.facts, as: "zuzhi", json: ["reviews": [Self.one: "basic"]]).status
                        == .ok)

                #expect(try await Self.suggested(&api).keys.filter { $0.hasPrefix("5.") }.isEmpty, "not in Q3")
                try await Self.openFourthQuarter(&api)
                let found = try await Self.suggested(&api)
                let names = try await Unit.names(of: [Self.one, Self.two], on: app.db)
                #expect(found["5.1.a"]?.reason == "民主评议基本合格 1 人：\(names[Self.one]!)")
                #expect(found["5.1.b"]?.count == 1)
                #expect(found["5.1.c"]?.reason.contains(names[Self.one]!) == true)
                #expect(found["5.1.d"] == nil)
                #expect(found["5.3.b"]?.reason == "党员测评基本满意率 88.5%，低于 90%")

                // Cleared with null, the suggestion goes with it; every change is in the audit log.
                #expect(
                    try await api.call(.PUT, Self.facts, as: "zhibu1", json: ["appraisals": [Self.two: NSNull()]])
                        .status == .ok)
                #expect(try await Self.suggested(&api)["5.1.b"] == nil)
                #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "fact.record").count() == 6)
            }
        }

        @Test func 二五_aFindingIsTheOrganizersAndCountsOnTheQuarterOfItsDay() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let finding: [String: Any] = ["day": "2026-10-15", "kind": "nonconformity", "note": "支委会记录不全"]
                #expect(
                    try await api.call(.POST, Self.facts + "/findings", as: "zhibu1", json: finding).status
                        == .forbidden, "the audited branch does not write its own findings")
                let added = try await api.call(.POST, Self.facts + "/findings", as: "zuzhi", json: finding)
                #expect(added.status == .created)
                let id = try added.content.decode(YearFacts.Book.Finding.self).id

                try await Self.openFourthQuarter(&api)
                #expect(try await Self.suggested(&api)["2.5.b"]?.reason == "内审不符合项 1 个：2026-10-15 支委会记录不全")
                #expect(
                    try await api.call(.DELETE, Self.facts + "/findings/\(id)", as: "zuzhi").status == .noContent)
                #expect(try await Self.suggested(&api)["2.5.b"] == nil)
                #expect(
                    try await api.call(.DELETE, Self.facts + "/findings/\(id)", as: "zuzhi").status == .notFound,
                    "removed twice")
                #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "finding.remove").count() == 1)
            }
        }

        @Test func badInputIsRefusedNamingTheFieldAndNothingIsKept() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let cases: [(String, [String: Any], String)] = [
                    (Self.facts, ["satisfaction": ["rate": "101"]], "satisfaction.rate"),
                    (Self.facts, ["satisfaction": ["rate": "-1"]], "satisfaction.rate"),
                    (Self.facts, ["satisfaction": ["rate": "90.125"]], "satisfaction.rate"),
                    (Self.facts, ["satisfaction": ["rate": "95", "day": "2025-12-01"]], "satisfaction.day"),
                    (Self.facts, ["satisfaction": ["rate": "95", "day": "2999-12-01"]], "satisfaction.day"),
                    // Another branch's member, and a result that is not one.
                    (
                        Self.facts, ["appraisals": [Self.one: "qualified", "branch-2-group-1-member-1": "qualified"]],
                        "appraisals.branch-2-group-1-member-1"
                    ),
                    (Self.facts, ["appraisals": [Self.one: "good"]], "appraisals.\(Self.one)"),
                    ("/api/v1/units/branch-1/facts/2027", ["satisfaction": ["rate": "95"]], "year"),
                    ("/api/v1/units/\(Self.one)/facts/2026", ["satisfaction": ["rate": "95"]], "unit"),
                ]
                for (path, body, field) in cases {
                    let res = try await api.call(.PUT, path, as: "zuzhi", json: body)
                    #expect(res.status == .unprocessableEntity, "\(body)")
                    #expect(res.body.string.contains(field), "\(body): \(res.body.string)")
                }
                for (body, field) in [
                    (["day": "2026-10-15", "kind": "minor"], "kind"), (["day": "2025-10-15", "kind": "major"], "day"),
                    (["day": "2026-10-15", "kind": "major", "note": String(repeating: "长", count: 501)], "note"),
                ] {
                    let res = try await api.call(.POST, Self.facts + "/findings", as: "zuzhi", json: body)
                    #expect(res.status == .unprocessableEntity && res.body.string.contains(field), "\(body)")
                }
                let group = try await api.call(
                    .POST, "/api/v1/units/branch-1-group-1/facts/2026/findings", as: "zuzhi",
                    json: ["day": "2026-10-15", "kind": "major"])
                #expect(group.status == .unprocessableEntity && group.body.string.contains("unit"))
                #expect(try await YearFact.query(on: app.db).count() == 0)
                #expect(try await api.call(.GET, Self.facts, as: "zhibu2").status == .forbidden)
            }
        }

        @Test func 六一_六三_theSecretarysPostAndA局党组成员sAbsencesAreReadFromTheOrganisationAndTheLedger() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                // 支部书记 zhibu1 is 党员 member-2, who holds no 中层 post in the demo bureau.
                let secretary = try #require(try await User.query(on: app.db).filter(\.$username == "zhibu1").first())
                try await RoleGrant(userID: secretary.requireID(), role: .member, unitCode: Self.two).create(on: app.db)
                let meeting: [String: Any] = [
                    "type": "groupMeeting", "group": "branch-1-group-1", "date": "2026-10-14", "topic": "党小组会",
                    "attendees": [Self.one], "absent": [Self.two],
                ]
                #expect(
                    try await api.call(.POST, "/api/v1/units/branch-1/activities", as: "zhibu1", json: meeting).status
                        == .created)
                try await Self.openFourthQuarter(&api)
                let before = try await Self.suggested(&api)
                #expect(before["6.1.a"]?.reason.hasPrefix("支部书记") == true)
                #expect(before["6.3.a"] == nil, "not a 局党组成员")

                let member = try #require(try await Unit.query(on: app.db).filter(\.$code == Self.two).first())
                member.inLeadershipGroup = true
                try await member.save(on: app.db)
                // Set here by hand; the tree's import that sets it is audited, and so counts every reading again.
                try await LedgerEpoch.advanceBureau(on: app.db)
                let after = try await Self.suggested(&api)
                #expect(after["6.1.a"] == nil, "a 局党组成员 is above a 中层 post")
                #expect(after["6.3.a"]?.reason.contains("党小组会 2026-10-14") == true)
                #expect(try await Self.suggested(&api, "branch-1-group-1")["1.3.b"]?.count == 1, "and on the group's")
                #expect(try await Self.suggested(&api, "branch-1-group-2")["1.3.b"] == nil)
            }
        }

        /// 年度评议与测评 in the browser: the secretary's selects and the rate in one form; a refusal comes back beside
        /// its field with what was typed; the 部门考核 column is the organizer's and stays closed to the secretary.
        @Test func thePageSavesTheYearInOneFormAndKeepsWhatWasTypedOnARefusal() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await Browser.signedIn(app, "zhibu1", on: "/units/branch-1/facts?year=2026")
                let page = try await browser.get("/units/branch-1/facts?year=2026")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("name=\"appraisals[\(Self.one)]\""))
                #expect(
                    page.body.string.contains("name=\"reviews[\(Self.one)]\" aria-label")
                        && page.body.string.contains("disabled"))
                let refused = try await browser.post(
                    "/units/branch-1/facts?year=2026",
                    form: ["appraisals[\(Self.one)]": "basic", "rate": "九十", "rateDay": "2026-11-20", "rateNote": ""])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("value=\"九十\"") && refused.body.string.contains("field-error"))
                #expect(try await YearFact.query(on: app.db).count() == 0)
                let saved = try await browser.post(
                    "/units/branch-1/facts?year=2026",
                    form: ["appraisals[\(Self.one)]": "basic", "rate": "92", "rateDay": "2026-11-20", "rateNote": ""])
                #expect(saved.status == .seeOther)
                let kept = try await YearFacts.book(
                    of: try #require(try await Unit.query(on: app.db).filter(\.$code == "branch-1").first()),
                    year: 2026, on: app.db)
                #expect(kept.satisfaction?.rate == "92")
                #expect(kept.members.first { $0.member == Self.one }?.appraisal == .basic)
                #expect(kept.members.first { $0.member == Self.two }?.appraisal == nil)
            }
        }
    }
}
