import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 27, nothing typed is lost: a refusal on a page returns to the page it came from, the message beside the
    /// field in Chinese, what was typed still in the form (a file aside, which the message asks for again).
    @Suite struct TypedWorkKeptTests {
        static let sheet = "/periods/2026Q3/sheets/branch-1"

        @Test func aStaleDeleteReturnsToTheSheetSayingTheEntryIsGone() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let made = try await api.call(
                    .POST, "/api/v1/periods/2026Q3/assessments/branch-1/entries", as: "zhibu1",
                    json: ["rule": "1.1.b", "note": "将删除"])
                let entry = try made.content.decode(QuarterAPI.Entry.self)
                let first = try await Browser.signedIn(app, "zhibu1", on: Self.sheet)
                let second = try await Browser.signedIn(app, "zhibu1", on: Self.sheet)
                #expect(try await first.post(Self.sheet + "/entries/\(entry.id)/delete", form: [:]).status == .seeOther)
                let stale = try await second.post(Self.sheet + "/entries/\(entry.id)/delete", form: [:])
                #expect(stale.status == .notFound || stale.status == .conflict)
                #expect(stale.body.string.contains("考核表"), "the sheet's page, not 页面不存在")
                #expect(stale.body.string.contains("已被删除"))
                #expect(try await second.get(Self.sheet).status == .ok)
            }
        }

        @Test func aTooLongNoteComesBackInItsFieldWithTheMessageBesideIt() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await Browser.signedIn(app, "zhibu1", on: Self.sheet)
                let note = "九月学习日未开展。" + String(repeating: "记", count: 50_000)
                let refused = try await browser.upload(
                    Self.sheet + "/entries", field: "file", filename: "", data: Data(),
                    fields: ["rule": "2.2.b", "count": "1", "note": note])
                #expect(refused.status == .unprocessableEntity)
                let page = refused.body.string
                #expect(page.contains("考核表"), "the sheet's page, not a bare error")
                #expect(page.contains("不超过 2000 字"), "the limit beside the note, in Chinese")
                #expect(page.contains(note), "the note as typed, to shorten rather than retype")
                #expect(try await SheetEntry.query(on: app.db).filter(\.$note == note).count() == 0)
            }
        }

        @Test func aFileOverTheLimitKeepsTheEntryTypedAndAsksForTheFileAgain() async throws {
            try await withKaohe(
                {
                    $0.demo = true; $0.evidence.maxBytes = 64 * 1024
                }, bootstrap: true
            ) { app in
                let browser = try await Browser.signedIn(app, "zhibu1", on: Self.sheet)
                // Over the file limit only (read, then refused), and over the whole request's limit (left unread).
                for size in [100 * 1024, 3 * 1024 * 1024] {
                    let note = "九月学习日未开展，附会议记录 \(size) 字节。"
                    let refused = try await browser.upload(
                        Self.sheet + "/entries", field: "file", filename: "会议记录.pdf",
                        data: Data("%PDF-1.4\n".utf8) + Data(repeating: 0x41, count: size),
                        fields: ["rule": "2.2.b", "count": "1", "note": note, "source": "records"])
                    #expect(refused.status == .unprocessableEntity, "\(size)")
                    let page = refused.body.string
                    #expect(page.contains("考核表"), "\(size)")
                    #expect(page.contains(note), "the typed entry is still in the form (\(size))")
                    #expect(page.contains("请重新选择"), "the file is asked for again (\(size))")
                    #expect(try await SheetEntry.query(on: app.db).filter(\.$note == note).count() == 0)
                }
                #expect(try await Evidence.query(on: app.db).count() == 0)
            }
        }

        /// The browser stops the typing where the server would refuse it: every text a page asks for carries the
        /// field's limit from `TextLimits`, or a service's smaller one.
        @Test func everyTextFieldOfEveryPageCarriesItsLimit() throws {
            let views = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../../Sources/KaoheServer/Resources/Views").standardized
            let notTyped: Set = ["hidden", "checkbox", "radio", "file", "submit", "button", "date", "month", "number"]
            var unbounded: [String] = []
            for name in try FileManager.default.contentsOfDirectory(atPath: views.path) where name.hasSuffix(".leaf") {
                let template = try String(contentsOf: views.appendingPathComponent(name), encoding: .utf8)
                for field in template.matches(of: /<(textarea|input)\b[^>]*>/) {
                    let tag = String(field.output.0)
                    let type = tag.firstMatch(of: /type="([^"]*)"/).map { String($0.1) } ?? "text"
                    guard !notTyped.contains(type), !tag.contains("inputmode=\"numeric\""),
                        !tag.contains("inputmode=\"decimal\""), type != "password"
                    else { continue }
                    if let limit = tag.firstMatch(of: /maxlength="#limit\("([^"]*)"\)"/) {
                        if TextLimits.byField[String(limit.1)] == nil { unbounded.append("\(name): \(tag)") }
                    } else if tag.firstMatch(of: /maxlength="[0-9]+"/) == nil {
                        unbounded.append("\(name): \(tag)")
                    }
                }
            }
            #expect(unbounded.isEmpty, "\(unbounded.joined(separator: "\n"))")
        }

        @Test func anEntryAddedAfterTheSheetWasReportedKeepsItsTextAboveTheSheet() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let secretary = try await Browser.signedIn(app, "zhibu1", on: Self.sheet)
                #expect(
                    try await api.act("submit", on: "branch-1", as: "zhibu1").status == .ok, "reported from another tab"
                )
                let note = "九月学习日未开展，已补学。"
                let refused = try await secretary.upload(
                    Self.sheet + "/entries", field: "file", filename: "会议记录.pdf",
                    data: Data("%PDF-1.4\n".utf8), fields: ["rule": "2.2.b", "count": "1", "note": note])
                #expect(refused.status == .conflict)
                let page = refused.body.string
                #expect(page.contains("考核表") && page.contains("未添加记录"), "the sheet as it now is, saying why")
                #expect(page.contains("未保存的内容") && page.contains(note), "the text kept to copy, its form gone")
                #expect(try await SheetEntry.query(on: app.db).filter(\.$note == note).count() == 0)
                #expect(try await Evidence.query(on: app.db).count() == 0)
            }
        }

        @Test func anOpinionSavedAfterTheReviewClosedKeepsItsText() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-2", as: "zhibu2")
                try await api.act("forward", on: "branch-2", as: "zuzhi")
                let sheet = "/periods/2026Q3/sheets/branch-2"
                let panel = try await Browser.signedIn(app, "kaohe2", on: sheet)
                let version = try await api.sheet("branch-2").version
                try await api.act("review", on: "branch-2", as: "kaohe1")
                let text = "党费收缴台账不全，建议下季度补齐。"
                let refused = try await panel.post(
                    sheet + "/opinions", form: ["item": "2.8", "text": text, "version": "\(version)"])
                #expect(refused.status == .conflict)
                #expect(refused.body.string.contains("考核意见未保存") && refused.body.string.contains(text))
            }
        }

        @Test func aSecondObjectionKeepsItsReasonAndSaysOneWasFiled() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for unit in ["branch-1", "branch-3", "branch-4", "branch-2"] { try await api.approve(unit) }
                try await api.call(.POST, "publish", as: "zuzhi")
                let feedback = "/periods/2026Q3/sheets/branch-2/feedback"
                let secretary = try await Browser.signedIn(app, "zhibu2", on: feedback)
                let first = try await secretary.post(
                    "/periods/2026Q3/sheets/branch-2/objection", form: ["reason": "任务延期经局领导同意"])
                #expect(first.status == .seeOther)
                let reason = "第二份申诉：会议记录已补交。"
                let second = try await secretary.post(
                    "/periods/2026Q3/sheets/branch-2/objection", form: ["reason": reason])
                #expect(second.status == .conflict)
                #expect(second.body.string.contains("申诉未提出") && second.body.string.contains(reason))
                #expect(second.body.string.contains("考核反馈"), "the feedback page, not an error page")
            }
        }

        @Test func aLedgerRecordWithdrawnTwiceSaysItIsAlreadyWithdrawn() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let ledger = "/units/branch-1/ledger?year=2026"
                let secretary = try await Browser.signedIn(app, "zhibu1", on: ledger)
                let record = try #require(
                    try await Activity.query(on: app.db).filter(\.$unitCode == "branch-1")
                        .filter(\.$withdrawn == false).first())
                let path = "/units/branch-1/ledger/\(try record.requireID())/withdraw"
                #expect(try await secretary.post(path, form: ["reason": "重复登记"]).status == .seeOther)
                let again = try await secretary.post(path, form: ["reason": "重复登记"])
                #expect(again.status == .notFound)
                #expect(again.body.string.contains("该记录已被撤销") && again.body.string.contains("活动台账"))
            }
        }

        @Test func aVetoWithdrawnTwiceSaysItIsAlreadyWithdrawn() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let made = try await api.call(
                    .POST, "/api/v1/units/branch-2/vetoes", as: "zuzhi",
                    json: ["veto": "V3", "date": "2026-06-01", "reason": "受处分"])
                let id = try #require(made.body.string.firstMatch(of: /"id":"([0-9A-Fa-f-]{36})"/)).1
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/years/2026/vetoes")
                let path = "/years/2026/vetoes/\(id)/withdraw"
                #expect(try await organizer.post(path, form: ["reason": "记错了单位"]).status == .seeOther)
                let again = try await organizer.post(path, form: ["reason": "记错了单位"])
                #expect(again.status == .conflict)
                #expect(again.body.string.contains("已撤销") && again.body.string.contains("一票否决"))
            }
        }
    }
}
