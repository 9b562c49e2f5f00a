import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 办法 六: results by grade, published in 党团园地; then 反馈 and one 申诉 inside the window.
    @Suite struct PublicationAPITests {
        struct Row: Content {
            let unit: String; let total: Decimal; let bonus: Decimal; let grade: String; let gradeLabel: String;
            let rank: Int
        }

        func approveAll(_ api: inout QuarterAPI) async throws {
            for unit in ["branch-1", "branch-2", "branch-3", "branch-4"] { try await api.approve(unit) }
        }

        @Test func 六_theOrganizerPublishesOnlyWhenEverySheetIsApproved() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.call(.GET, "results", as: "dangyuan1") { res in #expect(res.status == .notFound) }
                try await api.approve("branch-1")
                try await api.call(.POST, "publish", as: "zuzhi") { res in
                    #expect(res.status == .conflict)
                    let decoded = try res.content.decode(ErrorBody.self)
                    #expect(decoded.reason.contains("branch-2"))
                }
                for unit in ["branch-2", "branch-3", "branch-4"] { try await api.approve(unit) }
                try await api.call(.POST, "publish", as: "shuji") { res in #expect(res.status == .forbidden) }
                try await api.call(.POST, "publish", as: "zuzhi") { res in #expect(res.status == .ok) }
                #expect(
                    try await api.sheet("branch-2", as: "zhibu1").state == "published",
                    "published sheets are open to all")
            }
        }

        /// A quarter's last weeks still bring findings: its results are published only once it has ended (409 naming
        /// its last day), whoever asks and however ready its sheets are; the year is decided only once it is over.
        @Test func 六_aQuarterIsPublishedOnlyOnceItHasEndedAndTheYearDecidedOnceItIsOver() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true, today: CalendarDay("2026-09-20")!) { app in
                var api = QuarterAPI(app)
                for unit in ["branch-1", "branch-2", "branch-3", "branch-4"] { try await api.approve(unit) }
                let early = try await api.call(.POST, "publish", as: "zuzhi")
                #expect(early.status == .conflict && early.body.string.contains("2026-09-30"), "\(early.body.string)")
                let decision = try await api.call(
                    .POST, "/api/v1/years/2026/decision", as: "shuji",
                    json: ["level": "branch", "awards": ["branch-1"]])
                #expect(decision.status == .conflict && decision.body.string.contains("2026-12-31"))
                let board = try await api.call(.GET, "results", as: "zuzhi")
                #expect(board.status == .notFound, "nothing was published")
            }
        }

        @Test func 六_resultsRankByTotalWithTheBonusApartForEveryMember() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await approveAll(&api)
                try await api.call(.POST, "publish", as: "zuzhi")
                let rows = try await api.call(.GET, "results", as: "dangyuan1").content.decode([Row].self)
                #expect(rows.map(\.unit) == ["branch-4", "branch-3", "branch-1", "branch-2"])
                #expect(rows.map(\.rank) == [1, 2, 3, 4])
                #expect(rows.map(\.total) == [100, Decimal(string: "99.5")!, 97, Decimal(string: "96.5")!])
                #expect(rows[2].bonus == 1, "branch-1's bonus stays beside its 97")
                #expect(rows.map(\.gradeLabel) == ["优秀", "优秀", "优秀", "合格"])
            }
        }

        @Test func 反馈_aUnitFilesOneObjectionInsideTheWindowAndAnUpheldOneReopensTheReview() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await approveAll(&api)
                try await api.call(.POST, "publish", as: "zuzhi")
                try await api.call(.POST, "assessments/branch-2/objection", as: "zhibu1", json: ["reason": "代为申诉"]) {
                    res in
                    #expect(res.status == .forbidden, "only the assessed unit objects")
                }
                try await api.call(.POST, "assessments/branch-2/objection", as: "zhibu2", json: ["reason": " "]) {
                    res in
                    #expect(res.status == .unprocessableEntity)
                }
                try await api.call(
                    .POST, "assessments/branch-2/objection", as: "zhibu2",
                    json: ["reason": "未完成任务系上级调整所致，有通知为证"]
                ) { res in
                    #expect(res.status == .created)
                }
                try await api.call(.POST, "assessments/branch-2/objection", as: "zhibu2", json: ["reason": "再次申诉"]) {
                    res in
                    #expect(res.status == .conflict, "one objection per sheet")
                }
                try await api.call(
                    .POST, "assessments/branch-2/objection/uphold", as: "zhibu2", json: ["reason": "自己受理"]
                ) { res in
                    #expect(res.status == .forbidden)
                }
                try await api.call(
                    .POST, "assessments/branch-2/objection/uphold", as: "zuzhi", json: ["reason": "通知属实，重新考核"]
                ) { res in
                    #expect(res.status == .ok)
                }
                let sheet = try await api.sheet("branch-2")
                #expect(sheet.state == "underReview")
                #expect(sheet.objection?.state == "upheld")
                // Reviewed and approved again, the sheet is published again with the period.
                try await api.act("review", on: "branch-2", as: "kaohe1")
                try await api.act("approve", on: "branch-2", as: "shuji")
                try await api.call(.POST, "publish", as: "zuzhi") { res in #expect(res.status == .ok) }
                let actions = try await AuditEvent.query(on: app.db).filter(\.$action ~~ "objection.").sort(\.$seq)
                    .all().map(\.action)
                #expect(actions == ["objection.file", "objection.uphold"])
            }
        }

        @Test func 反馈_noObjectionAfterTheWindow() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await approveAll(&api)
                try await api.call(.POST, "publish", as: "zuzhi")
                let sheet = try #require(try await Sheet.query(on: app.db).filter(\.$unitCode == "branch-3").first())
                sheet.publishedOn = BureauCalendar.today().adding(days: -8).description
                try await sheet.save(on: app.db)
                try await api.call(.POST, "assessments/branch-3/objection", as: "zhibu3", json: ["reason": "迟到的申诉"]) {
                    res in
                    #expect(res.status == .conflict)
                    let decoded = try res.content.decode(ErrorBody.self)
                    #expect(decoded.reason.contains("申诉期"))
                }
                try await api.call(.POST, "assessments/branch-1/objection/dismiss", as: "zuzhi", json: ["reason": "无"])
                { res in
                    #expect(res.status == .notFound, "nothing to decide")
                }
            }
        }

        /// 备案 is not a public board: a filed group's or member's result is read by the general branch's roles, the
        /// branch and group concerned and the person concerned — not by another branch, nor by fellow members.
        @Test func 三一_filedResultsAreReadByThoseConcernedOnly() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let group = "branch-1-group-1"
                for (action, user) in [
                    ("submit", "xiaozu1"), ("forward", "zhibu1"), ("review", "zhibu1"), ("approve", "zhibu1"),
                    ("publish", "zhibu1"),
                ] {
                    #expect(try await api.act(action, on: group, as: user).status == .ok, "\(action)")
                }
                let members = ["branch-1-group-1-member-2", "branch-1-group-1-member-3"]
                for member in members {
                    for action in ["submit", "forward", "review", "approve", "publish"] {
                        #expect(
                            try await api.act(action, on: member, as: "xiaozu1").status == .ok, "\(action) \(member)")
                    }
                }
                func units(_ level: String, as user: String) async throws -> [String] {
                    try await api.call(.GET, "results?level=\(level)", as: user).content.decode([Row].self).map(\.unit)
                        .sorted()
                }
                for reader in ["zuzhi", "shuji", "kaohe1", "zhibu1", "xiaozu1"] {
                    #expect(try await units("group", as: reader) == [group], "\(reader)")
                    #expect(try await units("member", as: reader) == members, "\(reader)")
                }
                #expect(try await units("group", as: "zhibu2").isEmpty, "another branch")
                #expect(try await units("member", as: "zhibu2").isEmpty, "another branch")
                #expect(
                    try await units("member", as: "dangyuan1") == ["branch-1-group-1-member-3"],
                    "the person concerned, not the others")
                #expect(try await units("group", as: "dangyuan1") == [group], "a member reads their group's result")
                let page = try await Browser.signedIn(app, "zhibu2", on: "/periods/2026Q3/results?level=member")
                #expect(!(try await page.get("/periods/2026Q3/results?level=member").body.string.contains("member-3")))

                // The sheet itself, its row in the list, its page: 404 to those not concerned, as the results are.
                func sheet(_ unit: String, as user: String) async throws -> HTTPStatus {
                    try await api.call(.GET, "assessments/\(unit)", as: user).status
                }
                let strangers = [
                    try await sheet(group, as: "zhibu2"), try await sheet(members[0], as: "zhibu2"),
                    try await sheet(members[0], as: "dangyuan1"),
                ]
                #expect(strangers == [.notFound, .notFound, .notFound], "another branch, a fellow member")
                let concerned = [
                    try await sheet(group, as: "zuzhi"), try await sheet(members[0], as: "zhibu1"),
                    try await sheet(members[1], as: "dangyuan1"), try await sheet(group, as: "dangyuan1"),
                ]
                #expect(concerned == [.ok, .ok, .ok, .ok])
                struct Line: Decodable { let unit: String }
                let listed = try await api.call(.GET, "assessments?level=member", as: "zhibu2").content
                    .decode([Line].self).map(\.unit)
                #expect(!listed.contains(members[0]) && !listed.contains(members[1]), "\(listed)")
                #expect(try await page.get("/periods/2026Q3/sheets/\(members[0])").status == .notFound)
                #expect(try await page.get("/periods/2026Q3/sheets/\(group)/feedback").status == .notFound)
            }
        }

        /// Issue 29: filing one sheet changes its own row of the kept results and ranks the level again; what is kept
        /// is what a count from every sheet gives.
        @Test func filingOneSheetKeepsTheRowsACountFromScratchWouldGive() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                // The demo's second group has no leader of its own: 陈小组 leads it too for this test.
                let leader = try #require(try await User.query(on: app.db).filter(\.$username == "xiaozu1").first())
                try await RoleGrant(userID: leader.requireID(), role: .groupLeader, unitCode: "branch-1-group-2")
                    .create(on: app.db)
                for (group, leader, secretary) in [
                    ("branch-1-group-1", "xiaozu1", "zhibu1"), ("branch-1-group-2", "xiaozu1", "zhibu1"),
                ] {
                    try await api.act("submit", on: group, as: leader)
                    try await api.act("forward", on: group, as: secretary)
                    for action in ["review", "approve", "publish"] {
                        #expect(try await api.act(action, on: group, as: secretary).status == .ok, "\(group) \(action)")
                    }
                }
                let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
                let filed = try await FiledResults.rows(of: period, level: .group, on: app.db)
                #expect(filed.map(\.unit).sorted() == ["branch-1-group-1", "branch-1-group-2"])
                #expect(try await FiledResult.query(on: app.db).count() == 2, "a row per filed sheet")
                try await app.db.writeTransaction { db in _ = try await Results.store(period, level: .group, on: db) }
                let counted = try await FiledResults.rows(of: period, level: .group, on: app.db)
                #expect(filed == counted)
            }
        }

        /// 办法 三(一): 各党支部负责对所辖党小组的考核，并报党总支备案.
        @Test func 三一_aBranchAssessesItsGroupsAndReportsThemToTheGeneralBranch() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let group = "branch-1-group-1"
                try await api.call(.GET, "results?level=group", as: "zuzhi") { res in #expect(res.status == .notFound) }
                try await api.act("submit", on: group, as: "xiaozu1")
                try await api.act("forward", on: group, as: "zhibu1")
                try await api.call(
                    .POST, "assessments/\(group)/entries", as: "zhibu1", json: ["rule": "1.4.b", "note": "测试说明"]
                ) { res in
                    #expect(res.status == .created, "the branch reviews its group's sheet")
                }
                try await api.call(
                    .POST, "assessments/\(group)/actions/review", as: "zhibu2",
                    json: ["version": try await api.sheet(group).version]
                ) { res in
                    #expect(res.status == .notFound, "another branch neither sees nor assesses this group")
                }
                for action in ["review", "approve", "publish"] {
                    let response = try await api.act(action, on: group, as: "zhibu1")
                    #expect(response.status == .ok, "\(action)")
                }
                let rows = try await api.call(.GET, "results?level=group", as: "zuzhi").content.decode([Row].self)
                #expect(rows.map(\.unit) == [group])
                #expect(rows.first?.total == 99)
                try await api.call(
                    .POST, "assessments/branch-1/actions/publish", as: "zuzhi",
                    json: ["version": try await api.sheet("branch-1").version]
                ) { res in
                    #expect(res.status == .notFound, "branches are published with their period")
                }
            }
        }
    }
}
