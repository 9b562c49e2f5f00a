import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 考核期, its dashboard, 审核确定 and the 待办 on the start page.
    @Suite struct PeriodPagesTests {
        @Test func theOrganizerOpensAQuarterAndABadOneIsToldBesideTheField() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods")
                let bad = try await organizer.post("/periods", form: ["quarter": "2026-4", "rubric": "bureau-branch"])
                #expect(bad.status == .unprocessableEntity)
                #expect(
                    bad.body.string.contains(
                        "<p class=\"field-error\" id=\"quarter-error\" role=\"alert\">应为“年份Q季度”，如 2026Q4</p>"))
                #expect(bad.body.string.contains("value=\"2026-4\""), "the input is kept")
                let twice = try await organizer.post(
                    "/periods", form: ["quarter": "2026Q3", "rubric": "bureau-branch"])
                #expect(twice.status == .unprocessableEntity)
                #expect(twice.body.string.contains("2026Q3 考核期已存在"))
                let unknown = try await organizer.post("/periods", form: ["quarter": "2026Q4", "rubric": "nowhere"])
                #expect(unknown.status == .unprocessableEntity)
                #expect(unknown.body.string.contains("请选择已安装的党支部细则"))

                let opened = try await organizer.post(
                    "/periods", form: ["quarter": "2026q4", "rubric": "bureau-branch"])
                #expect(opened.status == .seeOther)
                #expect(opened.headers.first(name: .location) == "/periods/2026Q4")
                let list = try await organizer.get("/periods").body.string
                #expect(list.contains("2026年第四季度"))
                #expect(list.contains("2027-01-10"), "the self-report deadline of 2026Q4")
                let sheets = try await Sheet.query(on: app.db).join(Period.self, on: \Sheet.$period.$id == \Period.$id)
                    .filter(Period.self, \.$code == "2026Q4").count()
                #expect(sheets > 4, "a sheet for every branch, group and member")
            }
        }

        @Test func theOrganizerSetsTheDeadlinesAndTheBranchesAreLateByThem() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods")
                let backwards = try await organizer.post(
                    "/periods",
                    form: [
                        "quarter": "2026Q4", "rubric": "bureau-branch",
                        "selfDeadline": "2027-01-12", "panelDeadline": "2027-01-11",
                    ])
                #expect(backwards.status == .unprocessableEntity)
                #expect(
                    backwards.body.string.contains(
                        "id=\"panelDeadline-error\" role=\"alert\">考核截止日不能早于自查报送截止日 2027-01-12"))
                #expect(backwards.body.string.contains("value=\"2027-01-11\""), "the input is kept")

                let opened = try await organizer.post(
                    "/periods",
                    form: [
                        "quarter": "2026Q4", "rubric": "bureau-branch",
                        "selfDeadline": "2027-01-12", "panelDeadline": "",
                    ])
                #expect(opened.status == .seeOther)
                let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q4").first())
                #expect(period.selfDeadline == "2027-01-12")
                #expect(period.panelDeadline == "2027-01-15")
                let sheet = try #require(
                    try await Sheet.query(on: app.db).filter(\.$period.$id == period.requireID())
                        .filter(\.$unitCode == "branch-1").with(\.$rubric).first())
                let rubric = try RubricStore.rubric(of: sheet.rubric)
                #expect(
                    SheetDeadlines.selfReport(sheet, rubric: rubric, period: period)?.description == "2027-01-12",
                    "a branch is late by the period's own day")
            }
        }

        @Test func onlyTheOrganizerIsOfferedAndAllowedTheForm() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(app, "zhibu1", on: "/periods")
                let page = try await secretary.get("/periods")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("2026年第三季度"))
                #expect(!page.body.string.contains("建立考核期</button>"))
                #expect(try await secretary.post("/periods", form: ["quarter": "2026Q4"]).status == .forbidden)
            }
        }

        @Test func theOrganizersDashboardShowsWhoActsNext() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                try await setDeadlines(of: "2026Q3", selfReport: "2026-10-10", panelReview: "2026-10-15", on: app.db)
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-1", as: "zhibu1")
                try await api.act("submit", on: "branch-3", as: "zhibu3")
                try await api.act("forward", on: "branch-3", as: "zuzhi")
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q3")
                let html = try await organizer.get("/periods/2026Q3").body.string
                func row(_ name: String) -> String {
                    guard let start = html.range(of: ">\(name)</a>") else { return "" }
                    let rest = html[start.upperBound...]
                    return String(rest[..<(rest.range(of: "</tr>")?.lowerBound ?? rest.endIndex)])
                }
                #expect(row("机关第一党支部").contains("组织委员转交或退回"))
                #expect(row("机关第一党支部").contains("待我办理：转交考核小组、退回"))
                #expect(row("机关第一党支部").contains("逾期"), "2026Q3's reports were due on 2026-10-10")
                #expect(row("机关第二党支部").contains("支部书记自查报送"))
                #expect(row("机关第二党支部").contains("已逾期"))
                #expect(row("机关第三党支部").contains("考核小组考核"))
                #expect(html.contains("党小组与党员"))
                #expect(html.contains("党小组长自查报送"))
            }
        }

        @Test func aGroupLeaderMovesAMembersSheetFromTheDashboardAndAStaleClickIsRefused() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let member = "branch-1-group-1-member-2"
                let leader = try await Browser.signedIn(app, "xiaozu1", on: "/periods/2026Q3")
                let html = try await leader.get("/periods/2026Q3").body.string
                let form = "action=\"/periods/2026Q3/sheets/\(member)/actions/submit\""
                #expect(html.contains(form), "the leader may report the member's sheet from the row")
                #expect(
                    !html.contains("/sheets/branch-1/actions/"), "nothing offered on a sheet the leader may not move")
                let version = try await api.sheet(member).version

                for (step, state) in [("submit", "submitted"), ("forward", "underReview")] {
                    let current = try await api.sheet(member).version
                    let moved = try await leader.post(
                        "/periods/2026Q3/sheets/\(member)/actions/\(step)",
                        form: ["version": "\(current)", "back": "period"])
                    #expect(moved.status == .seeOther)
                    // Back on the board at the row, told what was done and who is next.
                    let location = try #require(moved.headers.first(name: .location))
                    #expect(location == "/periods/2026Q3?done=\(step)&unit=\(member)#sheet-\(member)")
                    #expect(
                        try await leader.get(location).body.string.contains(
                            "：已\(WorkflowAction(rawValue: step)!.label)。"))
                    #expect(try await api.sheet(member).state == state)
                }
                // 考核完毕 asks for the panel's overall opinion: it is made on the sheet, not from the row.
                #expect(
                    !(try await leader.get("/periods/2026Q3").body.string).contains("/sheets/\(member)/actions/review"))
                try await api.settle(member, as: "xiaozu1")
                let reviewed = try await leader.post(
                    "/periods/2026Q3/sheets/\(member)/actions/review",
                    form: ["version": "\(try await api.sheet(member).version)", "opinion": "按时参加组织生活"])
                #expect(reviewed.status == .seeOther)
                #expect(try await api.sheet(member).state == "reviewed")
                let stale = try await leader.post(
                    "/periods/2026Q3/sheets/\(member)/actions/approve",
                    form: ["version": "\(version)", "back": "period"])
                #expect(stale.status == .conflict, "a click on an old page is refused, not applied")
                #expect(try await api.sheet(member).state == "reviewed")
            }
        }

        @Test func approveAllApprovesOnlyTheReviewedSheets() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for unit in ["branch-1", "branch-3"] {
                    try await api.act("submit", on: unit, as: "zhibu" + unit.suffix(1))
                    try await api.act("forward", on: unit, as: "zuzhi")
                    try await api.act("review", on: unit, as: "kaohe1")
                }
                try await api.act("submit", on: "branch-2", as: "zhibu2")
                let approver = try await Browser.signedIn(app, "shuji", on: "/periods/2026Q3/approval")
                let page = try await approver.get("/periods/2026Q3/approval").body.string
                #expect(page.contains("机关第一党支部") && page.contains("全部审核确定"))

                // The form carries each listed sheet at the version the page showed.
                var form: [String: String] = [:]
                for field in page.matches(of: /name="(versions\[[a-z0-9-]+\])" value="([0-9]+)"/) {
                    form[String(field.1)] = String(field.2)
                }
                #expect(form.keys.sorted() == ["versions[branch-1]", "versions[branch-3]"])
                let done = try await approver.post("/periods/2026Q3/approval", form: form)
                #expect(done.status == .seeOther)
                #expect(try await api.sheet("branch-1").state == "approved")
                #expect(try await api.sheet("branch-3").state == "approved")
                #expect(try await api.sheet("branch-2").state == "submitted")
                #expect(try await api.sheet("branch-4").state == "draft")
                let after = try await approver.get(try #require(done.headers.first(name: .location))).body.string
                #expect(after.contains("已审核确定 2 份考核表"))

                // A sheet reviewed after the page was opened is not approved unseen.
                try await api.act("forward", on: "branch-2", as: "zuzhi")
                try await api.act("review", on: "branch-2", as: "kaohe1")
                let unseen = try await approver.post("/periods/2026Q3/approval", form: form)
                #expect(unseen.status == .conflict)
                #expect(unseen.body.string.contains("在您打开本页之后才转来"))
                #expect(try await api.sheet("branch-2").state == "reviewed")

                let secretary = try await Browser.signedIn(app, "zhibu1", on: "/")
                #expect(try await secretary.get("/periods/2026Q3/approval").status == .forbidden)
                #expect(try await secretary.post("/periods/2026Q3/approval", form: [:]).status == .forbidden)
            }
        }

        @Test func theStartPageListsTheSheetsWaitingForTheUser() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await setDeadlines(of: "2026Q3", selfReport: "2026-10-10", panelReview: "2026-10-15", on: app.db)
                let secretary = try await Browser.signedIn(app, "zhibu1", on: "/")
                let home = try await secretary.get("/").body.string
                #expect(home.contains("<a href=\"/periods/2026Q3/sheets/branch-1\">机关第一党支部</a>"))
                #expect(home.contains("自查打分并报送"))
                #expect(home.contains("已逾期"), "the deadline counts down, here past")
                #expect(home.contains("<a href=\"/periods\">考核期</a>"), "the nav leads to the periods")

                try await api.act("submit", on: "branch-1", as: "zhibu1")
                let after = try await secretary.get("/").body.string
                #expect(
                    !after.contains("<a href=\"/periods/2026Q3/sheets/branch-1\">"),
                    "nothing waits for the secretary once submitted")
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/")
                let inbox = try await organizer.get("/").body.string
                #expect(inbox.contains("<a href=\"/periods/2026Q3/sheets/branch-1\">机关第一党支部</a>"))
                #expect(inbox.contains("转交考核小组、退回"))
                #expect(
                    !inbox.contains("/periods/2026Q3/sheets/branch-2\""),
                    "a draft waits for its branch, not the organizer")
            }
        }
    }
}
