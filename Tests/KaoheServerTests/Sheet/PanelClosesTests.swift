import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 办法 三(二), 四(二): the panel decides before it closes. 考核完毕 is refused while a 从轻/不予扣分 waits for its
    /// ruling or a suggestion is neither accepted nor set aside; it carries the panel's overall 考核意见, which the
    /// sheet, the feedback page and the print show.
    @Suite struct PanelClosesTests {
        struct Refusal: Decodable {
            struct Question: Decodable { let kind: String; let rule: String; let entry: UUID? }
            let reason: String
            let open: [Question]?
        }

        /// branch-3 asked for 从轻扣分 on 2.8.a (the demo's entry); its sheet is with the panel.
        static func withThePanel(_ api: inout QuarterAPI) async throws {
            for (action, user) in [("submit", "zhibu3"), ("forward", "zuzhi")] {
                #expect(try await api.act(action, on: "branch-3", as: user).status == .ok)
            }
        }

        @Test func 三二_anUnruledMitigationCountsInFullAndKeepsTheReviewOpen() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.withThePanel(&api)
                #expect(try await api.sheet("branch-3").score.total == 99, "asked, not ruled: 1 point in full")

                let refused = try await api.act("review", on: "branch-3", as: "kaohe1", settling: false)
                #expect(refused.status == .conflict)
                let body = try refused.content.decode(Refusal.self)
                let mitigation = try #require(body.open?.first { $0.kind == "mitigation" })
                #expect(mitigation.rule == "2.8.a" && mitigation.entry != nil)
                #expect(body.reason.contains("2.8.a"))
                #expect(try await api.sheet("branch-3").state == "underReview", "nothing moved")

                try await api.settle("branch-3", as: "kaohe1")
                #expect(try await api.sheet("branch-3").score.total == Decimal(string: "99.5")!, "confirmed: 1 × 0.5")
                #expect(try await api.act("review", on: "branch-3", as: "kaohe1", settling: false).status == .ok)
            }
        }

        @Test func 四二_anOpenSuggestionKeepsTheReviewOpenUntilAcceptedOrSetAside() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.withThePanel(&api)
                let entry = try #require(try await api.sheet("branch-3").entries.first { $0.rule == "2.8.a" })
                #expect(
                    try await api.call(
                        .POST, "assessments/branch-3/entries/\(entry.id)/mitigation", as: "kaohe1",
                        json: ["decision": "refused", "reason": "迟交不属主动纠正"]
                    ).status == .ok)
                // The sheet went to the panel late: the rubric's late-report rule is suggested until ruled on.
                let suggestions = try await api.sheet("branch-3").suggestions
                if let suggestion = suggestions.first {
                    let refused = try await api.act("review", on: "branch-3", as: "kaohe1", settling: false)
                    #expect(refused.status == .conflict)
                    let open = try refused.content.decode(Refusal.self).open ?? []
                    #expect(open.contains { $0.kind == "suggestion" && $0.rule == suggestion.rule })
                    #expect(!open.contains { $0.kind == "mitigation" }, "a refused mitigation is ruled")
                }
                try await api.settle("branch-3", as: "kaohe1")
                #expect(try await api.act("review", on: "branch-3", as: "kaohe1", settling: false).status == .ok)
            }
        }

        @Test func 四二_theOverallOpinionIsRequiredAndShownOnTheSheetTheFeedbackAndThePrint() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.withThePanel(&api)
                try await api.settle("branch-3", as: "kaohe1")
                for blank in [nil, "", "  \n "] as [String?] {
                    let res = try await api.act("review", on: "branch-3", as: "kaohe1", opinion: blank)
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.body.string.contains("opinion"))
                }
                let long = try await api.act(
                    "review", on: "branch-3", as: "kaohe1", opinion: String(repeating: "意", count: 2001))
                #expect(long.status == .unprocessableEntity)

                let opinion = "党费收缴及时纠正，台账规范。"
                let closed = try await api.act("review", on: "branch-3", as: "kaohe1", opinion: opinion)
                #expect(closed.status == .ok)
                #expect(closed.body.string.contains("\"opinion\":\"\(opinion)\""))
                let unit = try await Browser.signedIn(app, "zhibu3", on: "/periods/2026Q3/sheets/branch-3")
                #expect(try await unit.get("/periods/2026Q3/sheets/branch-3").body.string.contains(opinion))
                #expect(try await unit.get("/periods/2026Q3/sheets/branch-3/feedback").body.string.contains(opinion))
                let event = try await AuditEvent.query(on: app.db).filter(\.$action == "sheet.review").first()
                #expect(event?.after?.contains(opinion) == true, "the opinion is in the audit chain")
            }
        }

        @Test func thePageListsWhatIsOpenAndKeepsTheTypedOpinionOnARefusal() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.withThePanel(&api)
                let panel = try await Browser.signedIn(app, "kaohe1", on: "/periods/2026Q3/sheets/branch-3")
                let open = try await panel.get("/periods/2026Q3/sheets/branch-3").body.string
                #expect(open.contains("考核完毕前须先处理"))
                #expect(open.contains("2.8.a 申请从轻扣分"))
                #expect(!open.contains("name=\"opinion\""), "the close is not offered while questions are open")

                try await api.settle("branch-3", as: "kaohe1")
                let ready = try await panel.get("/periods/2026Q3/sheets/branch-3").body.string
                #expect(ready.contains("name=\"opinion\""))
                let typed = String(repeating: "规", count: 2001)
                let refused = try await panel.post(
                    "/periods/2026Q3/sheets/branch-3/actions/review",
                    form: ["version": "\(try await api.sheet("branch-3").version)", "opinion": typed])
                #expect(refused.status == .unprocessableEntity)
                let page = refused.body.string
                #expect(page.contains("不超过 2000 字"), "the message beside the field, in Chinese")
                #expect(page.contains(typed), "what was typed is still in the form")
                #expect(try await api.sheet("branch-3").state == "underReview")
            }
        }
    }
}
