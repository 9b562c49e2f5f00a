import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 考核表 in the browser: entries through the form, the engine's checks told beside the field, another branch's
    /// draft never shown, the workflow moves with their version, the panel's withdrawals and opinions.
    @Suite struct SheetPageTests {
        static let sheet = "/periods/2026Q3/sheets/branch-1"

        @Test func aSecretaryAddsAnEntryThroughTheFormAndTheTotalChanges() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                // setup
                var api = QuarterAPI(app)
                let before = try await api.sheet("branch-1").score.total
                let secretary = try await Browser.signedIn(app, "zhibu1", on: Self.sheet)
                // act
                let added = try await secretary.post(
                    Self.sheet + "/entries", form: ["rule": "1.1.b", "note": "补选支委迟了两个月"])
                // check
                #expect(added.status == .seeOther)
                #expect(added.headers.first(name: .location)?.hasPrefix(Self.sheet + "?done=entry") == true)
                let after = try await api.sheet("branch-1").score.total
                #expect(after == before - 2, "1.1.b deducts 2 from item 1.1")
                let page = try await secretary.get(Self.sheet)
                #expect(page.status == .ok)
                let html = page.body.string
                #expect(html.contains("补选支委迟了两个月"))
                #expect(html.contains("总分 <strong class=\"num\">\(after)</strong>"))
                #expect(html.contains("（一）组织健全，领导班子好"))
                #expect(html.contains("添加记录"), "the secretary may write the draft")
            }
        }

        @Test func aBonusWithoutItsCaseIsRefusedBesideTheFormAndNothingIsSaved() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let entries = try await api.sheet("branch-1").entries.count
                let secretary = try await Browser.signedIn(app, "zhibu1", on: Self.sheet)
                let refused = try await secretary.post(
                    Self.sheet + "/entries", form: ["rule": "2.9.b", "points": "1", "note": "获奖通报见附件"])
                #expect(refused.status == .unprocessableEntity)
                let html = refused.body.string
                #expect(html.contains("<p class=\"field-error\" role=\"alert\">加分须写明具体事例</p>"))
                #expect(html.contains("获奖通报见附件"), "the person's input is kept")
                #expect(html.contains("<option value=\"2.9.b\" selected>"), "the rule chosen is kept")
                #expect(html.contains("<a href=\"#item-2.9\">"), "the notice on top leads to the refused form")
                #expect(try await api.sheet("branch-1").entries.count == entries)

                let outside = try await secretary.post(
                    Self.sheet + "/entries", form: ["rule": "1.4.a", "note": "测试说明", "points": "9"])
                #expect(outside.status == .unprocessableEntity)
                #expect(outside.body.string.contains("分值须在 3–4 分之间"))
                let empty = try await secretary.post(Self.sheet + "/entries", form: [:])
                #expect(empty.status == .unprocessableEntity)
                #expect(try await api.sheet("branch-1").entries.count == entries)
            }
        }

        @Test func anEntryCarriesItsEvidenceFileAndABadFileLosesNothing() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let entries = try await api.sheet("branch-1").entries.count
                let secretary = try await Browser.signedIn(app, "zhibu1", on: Self.sheet)
                let entry = ["rule": "2.2.b", "count": "1", "note": "九月一次学习日未开展", "source": "panelInspection"]

                let refused = try await secretary.upload(
                    Self.sheet + "/entries", field: "file", filename: "签到表.exe",
                    data: Data("MZ".utf8), fields: entry)
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("不接受 .exe 文件"))
                #expect(refused.body.string.contains("九月一次学习日未开展"), "the entry typed is kept")
                #expect(
                    refused.body.string.contains("<option value=\"panelInspection\" selected>"),
                    "the source chosen is kept")
                #expect(try await api.sheet("branch-1").entries.count == entries, "no entry without its file")
                #expect(try await Evidence.query(on: app.db).count() == 0)

                let added = try await secretary.upload(
                    Self.sheet + "/entries", field: "file", filename: "签到表.pdf",
                    data: Data("%PDF-1.4 sign-in".utf8), fields: entry)
                #expect(added.status == .seeOther)
                let sheet = try await api.sheet("branch-1")
                let evidence = try #require(try await Evidence.query(on: app.db).first())
                #expect(evidence.source == .panelInspection)
                #expect(sheet.entries.count == entries + 1)
                let row = try #require(sheet.entries.first { $0.rule == "2.2.b" })
                #expect(row.evidence == [try evidence.requireID()], "the file is the entry's evidence")
                #expect(try await secretary.get(Self.sheet).body.string.contains(">签到表.pdf</a>"))
            }
        }

        /// A file far over the limit is left unread past the limit: the person is back on the sheet with the entry
        /// as typed and the file asked for again, not on an error page, and nothing is kept.
        @Test func anUploadFarOverTheLimitReturnsToTheSheetWithTheReason() async throws {
            try await withKaohe(
                {
                    $0.demo = true; $0.evidence.maxBytes = 64
                }, bootstrap: true
            ) { app in
                var api = QuarterAPI(app)
                let entries = try await api.sheet("branch-1").entries.count
                let secretary = try await Browser.signedIn(app, "zhibu1", on: Self.sheet)
                secretary.method = .running(hostname: "127.0.0.1", port: 0)
                try await secretary.get(Self.sheet)
                let refused = try await secretary.upload(
                    Self.sheet + "/entries", field: "file", filename: "签到表.pdf",
                    data: Data(repeating: 0x41, count: 2 * 1024 * 1024),
                    fields: ["rule": "2.2.b", "count": "1", "note": "九月一次学习日未开展"])
                // Over a real connection, the rest of the body drained unread: the sheet, not an error page.
                #expect(refused.status == .unprocessableEntity)
                let page = refused.body.string
                #expect(page.contains("九月一次学习日未开展") && page.contains("请重新选择文件"))
                #expect(page.contains("机关第一党支部") && !page.contains("内容过大</h1>"))
                // A body too large for any other reason still lands on the sheet with the reason at its top.
                secretary.method = .inMemory
                #expect(
                    try await secretary.get(Self.sheet + "?refused=too-large").body.string.contains("未保存：提交的内容或文件超过上限"))
                #expect(try await api.sheet("branch-1").entries.count == entries)
                #expect(try await Evidence.query(on: app.db).count() == 0)
            }
        }

        @Test func aSecretaryNeitherSeesNorWritesAnotherBranchsDraft() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let other = "/periods/2026Q3/sheets/branch-2"
                let secretary = try await Browser.signedIn(app, "zhibu1", on: Self.sheet)
                #expect(try await secretary.get(other).status == .notFound)
                #expect(
                    try await secretary.post(other + "/entries", form: ["rule": "1.1.a", "note": "测试说明"]).status
                        == .notFound)
                #expect(try await secretary.post(other + "/actions/submit", form: ["version": "1"]).status == .notFound)
                let dashboard = try await secretary.get("/periods/2026Q3")
                #expect(dashboard.body.string.contains("机关第一党支部"))
                #expect(!dashboard.body.string.contains("机关第二党支部"))
                let sheet = try await api.sheet("branch-2")
                #expect(sheet.entries.count == 1 && sheet.state == "draft")
            }
        }

        @Test func aSubmissionWithAStaleVersionIsRefusedAndTheNewerSheetKept() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let secretary = try await Browser.signedIn(app, "zhibu1", on: Self.sheet)
                let seen = try await api.sheet("branch-1").version
                // Someone else changes the sheet after the page was loaded.
                try await api.call(
                    .POST, "assessments/branch-1/entries", as: "zhibu1", json: ["rule": "1.1.a", "note": "测试说明"])
                let stale = try await secretary.post(Self.sheet + "/actions/submit", form: ["version": "\(seen)"])
                #expect(stale.status == .conflict)
                #expect(stale.body.string.contains("考核表已被他人修改"))
                #expect(stale.body.string.contains("1.1.a"), "the page shows the newer sheet")
                #expect(try await api.sheet("branch-1").state == "draft")

                let current = try await api.sheet("branch-1").version
                let submitted = try await secretary.post(
                    Self.sheet + "/actions/submit", form: ["version": "\(current)"])
                #expect(submitted.status == .seeOther)
                #expect(try await api.sheet("branch-1").state == "submitted")
                let page = try await secretary.get(Self.sheet + "?done=submit")
                #expect(page.body.string.contains("已报送。"))
                #expect(!page.body.string.contains("添加记录"), "a submitted sheet is closed to its unit")
            }
        }

        @Test func theOrganizerReturnsWithAReasonWhichTheSecretaryReads() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-2", as: "zhibu2")
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q3/sheets/branch-2")
                let version = try await api.sheet("branch-2").version
                let bare = try await organizer.post(
                    "/periods/2026Q3/sheets/branch-2/actions/return", form: ["version": "\(version)", "reason": " "])
                #expect(bare.status == .unprocessableEntity)
                #expect(bare.body.string.contains("退回须写明理由</"), "in Chinese alone, without the API's English gloss")
                let returned = try await organizer.post(
                    "/periods/2026Q3/sheets/branch-2/actions/return",
                    form: ["version": "\(version)", "reason": "请补充党费收缴的扣分"])
                #expect(returned.status == .seeOther)

                let secretary = try await Browser.signedIn(app, "zhibu2", on: "/periods/2026Q3/sheets/branch-2")
                let page = try await secretary.get("/periods/2026Q3/sheets/branch-2")
                #expect(page.body.string.contains("退回理由：</strong>请补充党费收缴的扣分"))
                #expect(try await api.sheet("branch-2").state == "draft")
            }
        }

        @Test func aReturnedSheetsPanelEntryIsNotTheUnitsToTakeOff() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-4", as: "zhibu4")
                try await api.act("forward", on: "branch-4", as: "zuzhi")
                let added = try await api.call(
                    .POST, "assessments/branch-4/entries", as: "kaohe2", json: ["rule": "1.1.b", "note": "测试说明"])
                #expect(added.status == .created)
                try await api.act("return", on: "branch-4", as: "zuzhi", reason: "请核对 1.1 的扣分")
                let entry = try #require(try await api.sheet("branch-4").entries.first)

                let secretary = try await Browser.signedIn(app, "zhibu4", on: "/periods/2026Q3/sheets/branch-4")
                let page = try await secretary.get("/periods/2026Q3/sheets/branch-4").body.string
                #expect(page.contains("添加记录"), "the returned draft is the unit's to write again")
                #expect(!page.contains("/entries/\(entry.id)/delete"), "no button for what the server refuses")
                let refused = try await secretary.post(
                    "/periods/2026Q3/sheets/branch-4/entries/\(entry.id)/delete", form: [:])
                #expect(refused.status == .forbidden)
                #expect(try await api.sheet("branch-4").entries.count == 1)
            }
        }

        @Test func onAReturnedSheetAReportedEntryIsWithdrawnAndItsButtonSaysSo() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.call(
                    .POST, "assessments/branch-4/entries", as: "zhibu4", json: ["rule": "1.1.b", "note": "测试说明"])
                try await api.act("submit", on: "branch-4", as: "zhibu4")
                try await api.act("return", on: "branch-4", as: "zuzhi", reason: "请补充 2.8")
                try await api.call(
                    .POST, "assessments/branch-4/entries", as: "zhibu4",
                    json: ["rule": "2.8.a", "note": "测试说明", "count": 1])
                let entries = try await api.sheet("branch-4").entries
                let reported = try #require(entries.first { $0.rule == "1.1.b" })
                let fresh = try #require(entries.first { $0.rule == "2.8.a" })

                let secretary = try await Browser.signedIn(app, "zhibu4", on: "/periods/2026Q3/sheets/branch-4")
                let page = try await secretary.get("/periods/2026Q3/sheets/branch-4").body.string
                func removeForm(_ entry: QuarterAPI.Entry) -> Substring? {
                    guard let start = page.range(of: "/entries/\(entry.id)/delete"),
                        let end = page[start.upperBound...].range(of: "</form>")
                    else { return nil }
                    return page[start.upperBound..<end.lowerBound]
                }
                let reportedForm = try #require(removeForm(reported))
                #expect(
                    reportedForm.contains("撤销理由") && reportedForm.contains(">撤销</button>"),
                    "what was reported is withdrawn")
                let freshForm = try #require(removeForm(fresh))
                #expect(
                    freshForm.contains(">删除</button>") && !freshForm.contains("撤销"),
                    "what was never reported is deleted")

                let withdrawn = try await secretary.post(
                    "/periods/2026Q3/sheets/branch-4/entries/\(reported.id)/delete",
                    form: ["reason": "已补选，不应扣分"])
                #expect(withdrawn.status == .seeOther)
                let deleted = try await secretary.post(
                    "/periods/2026Q3/sheets/branch-4/entries/\(fresh.id)/delete", form: [:])
                #expect(deleted.status == .seeOther)
                let kept = try await api.sheet("branch-4").entries
                #expect(
                    kept.map(\.rule) == ["1.1.b"] && kept.allSatisfy(\.withdrawn), "the reported entry stays, withdrawn"
                )
            }
        }

        @Test func thePanelWithdrawsAnEntryWithItsReasonAndWritesAnOpinion() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-2", as: "zhibu2")
                try await api.act("forward", on: "branch-2", as: "zuzhi")
                let sheet = try await api.sheet("branch-2")
                let entry = try #require(sheet.entries.first)
                let panel = try await Browser.signedIn(app, "kaohe2", on: "/periods/2026Q3/sheets/branch-2")
                let withdrawn = try await panel.post(
                    "/periods/2026Q3/sheets/branch-2/entries/\(entry.id)/delete", form: ["reason": "经核实任务已完成"])
                #expect(withdrawn.status == .seeOther)
                let opinion = try await panel.post(
                    "/periods/2026Q3/sheets/branch-2/opinions",
                    form: [
                        "item": "1.4", "text": "调研任务经核实已完成", "version": "\(try await api.sheet("branch-2").version)",
                    ])
                #expect(opinion.status == .seeOther)
                let stale = try await panel.post(
                    "/periods/2026Q3/sheets/branch-2/opinions",
                    form: ["item": "1.4", "text": "另一意见", "version": "\(sheet.version)"])
                #expect(stale.status == .conflict)

                let page = try await panel.get("/periods/2026Q3/sheets/branch-2").body.string
                #expect(page.contains("<tr class=\"withdrawn\">"))
                #expect(page.contains("已撤销：经核实任务已完成"))
                #expect(page.contains("调研任务经核实已完成"))
                #expect(page.contains("考核小组评分"), "the self score stands beside the panel's")
                let after = try await api.sheet("branch-2")
                #expect(after.entries.count == 1, "nothing is deleted once submitted")
                #expect(after.score.total == 100)
                #expect(after.opinions["1.4"] == "调研任务经核实已完成")
            }
        }

        @Test func thePanelAcceptsTheLateReportSuggestionInOneClick() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                // 2026Q3's self-reports due on 2026-10-10: a submission now is late.
                try await setDeadlines(of: "2026Q3", selfReport: "2026-10-10", panelReview: "2026-10-15", on: app.db)
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-2", as: "zhibu2")
                try await api.act("forward", on: "branch-2", as: "zuzhi")
                let before = try await api.sheet("branch-2")
                #expect(
                    before.late && before.suggestions.first?.rule == "2.4.b",
                    "the late report first, the ledger's after")
                let panel = try await Browser.signedIn(app, "kaohe2", on: "/periods/2026Q3/sheets/branch-2")
                let page = try await panel.get("/periods/2026Q3/sheets/branch-2").body.string
                #expect(page.contains("建议扣分") && page.contains("<input type=\"hidden\" name=\"rule\" value=\"2.4.b\">"))
                let form = page.components(separatedBy: "<form").first { $0.contains("name=\"rule\" value=\"2.4.b\"") }
                #expect(form?.contains("name=\"count\"") == false, "2.4.b applies once: no count is sent")
                let accepted = try await panel.post(
                    "/periods/2026Q3/sheets/branch-2/entries",
                    form: ["rule": "2.4.b", "note": before.suggestions[0].reason])
                #expect(accepted.status == .seeOther)
                let after = try await api.sheet("branch-2")
                #expect(after.suggestions.map(\.rule) == before.suggestions.dropFirst().map(\.rule))
                #expect(after.score.total == before.score.total - 1)
            }
        }
    }
}
