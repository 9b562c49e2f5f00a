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
    }
}
