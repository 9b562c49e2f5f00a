import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// A suggestion is accepted in one click or set aside with a reason, which is kept and shown to the panel.
    @Suite struct SuggestionDismissalTests {
        struct SheetJSON: Decodable {
            struct Suggestion: Decodable { let rule: String; let count: Int; let reason: String }
            struct Dismissed: Decodable {
                let rule: String; let count: Int; let suggestion: String; let reason: String; let dismissedBy: String;
                let current: Bool
            }
            let suggestions: [Suggestion]
            let dismissed: [Dismissed]
        }
        struct Entries: Decodable {
            struct Entry: Decodable { let rule: String; let note: String? }
            let entries: [Entry]
        }

        @Test func aSuggestionSetAsideWithAReasonIsKeptForThePanel() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let path = "assessments/branch-2/suggestions/dismiss"
                // No reason, no such suggestion, another unit's secretary: refused, nothing kept.
                let bare = try await api.call(.POST, path, as: "zhibu2", json: ["rule": "2.10.a", "reason": " "])
                let bareReason = try bare.content.decode(ErrorBody.self).reason
                #expect(bare.status == .unprocessableEntity && bareReason.hasPrefix("reason:"))
                let none = try await api.call(.POST, path, as: "zhibu2", json: ["rule": "1.1.a", "reason": "无"])
                let noneReason = try none.content.decode(ErrorBody.self).reason
                #expect(none.status == .unprocessableEntity && noneReason.hasPrefix("rule:"))
                #expect(
                    try await api.call(.POST, path, as: "zhibu1", json: ["rule": "2.10.a", "reason": "x"]).status
                        == .notFound)
                #expect(try await SuggestionDismissal.query(on: app.db).count() == 0)

                let dismissed = try await api.call(
                    .POST, path, as: "zhibu2", json: ["rule": "2.10.a", "reason": "信息已报局办公室，见 9 月简报"])
                #expect(dismissed.status == .ok)
                let sheet = try dismissed.content.decode(SheetJSON.self)
                #expect(sheet.suggestions.map(\.rule) == ["2.2.b"], "set aside, not offered again")
                #expect(sheet.dismissed.map(\.rule) == ["2.10.a"] && sheet.dismissed.first?.dismissedBy == "zhibu2")
                #expect(sheet.dismissed.first?.suggestion.contains("信息上报") == true)
                let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "suggestion.dismiss").count()
                #expect(audited == 1)

                // The panel reads it with its reason once the sheet is theirs.
                try await api.act("submit", on: "branch-2", as: "zhibu2")
                try await api.act("forward", on: "branch-2", as: "zuzhi")
                let panel = try await Browser.signedIn(app, "kaohe2", on: "/periods/2026Q3/sheets/branch-2")
                let page = try await panel.get("/periods/2026Q3/sheets/branch-2").body.string
                #expect(page.contains("未采纳的建议") && page.contains("信息已报局办公室，见 9 月简报"))
                // The panel may disagree: the suggestion is still offered to it, beside the unit's reason.
                #expect(page.contains("仍然采纳"))
                let read = try await api.call(.GET, "assessments/branch-2", as: "kaohe2").content.decode(SheetJSON.self)
                #expect(read.dismissed.first?.current == true)
                let note = try #require(sheet.dismissed.first?.suggestion)
                let accepted = try await panel.post(
                    "/periods/2026Q3/sheets/branch-2/entries", form: ["rule": "2.10.a", "count": "1", "note": note])
                #expect(accepted.status == .seeOther)
                let entries = try await api.call(.GET, "assessments/branch-2", as: "kaohe2").content.decode(
                    Entries.self
                ).entries
                #expect(entries.filter { $0.rule == "2.10.a" }.map(\.note) == [note])
                let after = try await panel.get("/periods/2026Q3/sheets/branch-2").body.string
                #expect(!after.contains("仍然采纳"), "accepted once, no longer offered")
            }
        }

        @Test func aChangeInTheRecordsOffersTheSuggestionAgain() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.call(
                    .POST, "assessments/branch-2/suggestions/dismiss", as: "zhibu2",
                    json: ["rule": "2.2.b", "reason": "两周集中学习改为参加局里的专题讲座"])
                #expect(!(try await api.sheet("branch-2").suggestions.contains { $0.rule == "2.2.b" }))
                // One more week withdrawn from the ledger: the suggestion is not the one set aside.
                let session = try #require(
                    try await Activity.query(on: app.db).filter(\.$unitCode == "branch-2")
                        .filter(\.$date == "2026-09-02").first())
                try await api.call(
                    .DELETE, "/api/v1/units/branch-2/activities/\(try session.requireID())?reason=x", as: "zhibu2")
                let again = try #require(try await api.sheet("branch-2").suggestions.first { $0.rule == "2.2.b" })
                #expect(again.count == 3)
            }
        }

        @Test func theSecretaryDismissesFromThePageAndARefusalSaysWhy() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let sheet = "/periods/2026Q3/sheets/branch-2"
                let secretary = try await Browser.signedIn(app, "zhibu2", on: sheet)
                let page = try await secretary.get(sheet).body.string
                #expect(page.contains("action=\"\(sheet)/suggestions/dismiss\""))
                let refused = try await secretary.post(
                    sheet + "/suggestions/dismiss", form: ["rule": "2.10.a", "reason": ""])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("未忽略"))
                let done = try await secretary.post(
                    sheet + "/suggestions/dismiss", form: ["rule": "2.10.a", "reason": "已另行报送"])
                #expect(done.status == .seeOther)
                let after = try await secretary.get(sheet + "?done=dismissed").body.string
                #expect(after.contains("已忽略该建议") && after.contains("未采纳（zhibu2）：已另行报送"))
            }
        }
    }
}
