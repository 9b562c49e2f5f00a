import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// The 工作台 says why a sheet came to someone, and only what is theirs to do.
    @Suite struct InboxReasonsTests {
        static func titles(_ api: inout QuarterAPI, _ user: String) async throws -> [String] {
            let response = try await api.call(.GET, "/api/v1/me/inbox", as: user)
            #expect(response.status == .ok)
            return try response.content.decode([InboxTests.Item].self).map(\.title)
        }

        @Test func 四_aForwardedSheetIsThePanelsToDoNotTheOrganizers() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-1", as: "zhibu1")
                #expect(try await Self.titles(&api, "zuzhi").contains { $0.contains("机关第一党支部：转交考核小组、退回") })
                try await api.act("forward", on: "branch-1", as: "zuzhi")
                #expect(
                    try await !Self.titles(&api, "zuzhi").contains { $0.contains("机关第一党支部") },
                    "the organizer may still return it, but it is the panel's turn")
                #expect(try await Self.titles(&api, "kaohe1").contains { $0.contains("机关第一党支部：考核打分") })
            }
        }

        @Test func 四三_aSendBackReachesThePanelWithItsReason() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for (action, user) in [("submit", "zhibu1"), ("forward", "zuzhi"), ("review", "kaohe1")] {
                    #expect(try await api.act(action, on: "branch-1", as: user).status == .ok)
                }
                #expect(
                    try await api.act("sendBack", on: "branch-1", as: "shuji", reason: "2.1 项扣分依据不足，请核实").status
                        == .ok)
                let titles = try await Self.titles(&api, "kaohe1")
                #expect(titles.contains { $0.contains("机关第一党支部：总支书记退回，重新考核：2.1 项扣分依据不足，请核实") }, "\(titles)")
            }
        }

        @Test func 四_aStepFromTheBoardSaysWhatItDidAndWhoIsNext() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-1", as: "zhibu1")
                let version = try await api.sheet("branch-1").version
                let browser = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q3")
                let moved = try await browser.post(
                    "/periods/2026Q3/sheets/branch-1/actions/forward",
                    form: ["version": "\(version)", "back": "period"])
                #expect(moved.status == .seeOther)
                let location = try #require(moved.headers.first(name: .location))
                let page = try await browser.get(location).body.string
                #expect(page.contains("机关第一党支部：已转交考核小组。考核小组将在工作台看到并开始考核。"))
            }
        }
    }
}
