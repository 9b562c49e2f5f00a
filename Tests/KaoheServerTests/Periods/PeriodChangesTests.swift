import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// The organizer's ways back from a slip: a quarter nobody has worked in is withdrawn with a reason, and the
    /// branches' deadlines move with a reason; both audited, both refused naming why when they cannot be.
    @Suite struct PeriodChangesTests {
        struct PeriodJSON: Decodable {
            let id: String
            let selfDeadline: String
            let panelDeadline: String
        }

        @Test func aQuarterNobodyWorkedInIsWithdrawnWithAReasonAndOneWithWorkIsNot() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let opened = try await api.call(.POST, "/api/v1/periods", as: "zuzhi", json: ["quarter": "2026Q2"])
                #expect(opened.status == .created, "\(opened.body.string)")
                #expect(try await api.call(.DELETE, "/api/v1/periods/2026Q2", as: "zhibu1").status == .forbidden)
                let silent = try await api.call(.DELETE, "/api/v1/periods/2026Q2", as: "zuzhi")
                #expect(silent.status == .unprocessableEntity && silent.body.string.contains("reason"))
                let withdrawn = try await api.call(
                    .DELETE, "/api/v1/periods/2026Q2?reason=%E8%AF%AF%E5%BB%BA", as: "zuzhi")
                #expect(withdrawn.status == .noContent)
                let listed = try await api.call(.GET, "/api/v1/periods", as: "zuzhi").content.decode([PeriodJSON].self)
                #expect(listed.map(\.id) == ["2026Q3"])
                #expect(
                    try await Sheet.query(on: app.db).join(parent: \.$period).filter(Period.self, \.$code == "2026Q2")
                        .count() == 0)
                let logged = try await AuditEvent.query(on: app.db).filter(\.$action == "period.withdraw").all()
                #expect(logged.count == 1)

                // The demo's quarter holds entries and files: 409 saying so, and it stays.
                let worked = try await api.call(
                    .DELETE, "/api/v1/periods/2026Q3?reason=%E8%AF%AF%E5%BB%BA", as: "zuzhi")
                #expect(worked.status == .conflict && worked.body.string.contains("记录"), "\(worked.body.string)")
                #expect(try await api.call(.GET, "/api/v1/periods/2026Q3/assessments", as: "zuzhi").status == .ok)
            }
        }

        @Test func theBranchesDeadlinesMoveWithAReasonAndInOrder() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                func patch(_ body: [String: Any], as user: String = "zuzhi") async throws -> TestingHTTPResponse {
                    try await api.call(.PATCH, "/api/v1/periods/2026Q3", as: user, json: body)
                }
                #expect(
                    try await patch(["selfDeadline": "2026-10-20", "reason": "x"], as: "zhibu1").status == .forbidden)
                let noReason = try await patch(["selfDeadline": "2026-10-20"])
                #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("reason"))
                let backwards = try await patch([
                    "selfDeadline": "2026-10-20", "panelDeadline": "2026-10-01", "reason": "x",
                ])
                #expect(backwards.status == .unprocessableEntity && backwards.body.string.contains("panelDeadline"))
                let moved = try await patch(
                    ["selfDeadline": "2026-10-20", "panelDeadline": "2026-10-30", "reason": "国庆假期顺延"])
                #expect(moved.status == .ok, "\(moved.body.string)")
                let period = try moved.content.decode(PeriodJSON.self)
                #expect(period.selfDeadline == "2026-10-20" && period.panelDeadline == "2026-10-30")
                let logged = try await AuditEvent.query(on: app.db).filter(\.$action == "period.deadlines").count()
                #expect(logged == 1)
            }
        }
    }
}

extension ServerTests.PeriodChangesTests {
    /// On the period's page: a refusal comes back beside its field with what was typed; a quarter with work in it
    /// says what there is and stays.
    @Test func thePageMovesTheDeadlinesAndSaysWhyAWithdrawalIsRefused() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            let browser = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q3")
            let backwards = try await browser.post(
                "/periods/2026Q3/deadlines",
                form: ["selfDeadline": "2026-10-20", "panelDeadline": "2026-10-01", "reason": "顺延"])
            #expect(backwards.status == .unprocessableEntity)
            #expect(backwards.body.string.contains("考核截止不能早于") && backwards.body.string.contains("2026-10-01"))
            let moved = try await browser.post(
                "/periods/2026Q3/deadlines",
                form: ["selfDeadline": "2026-10-20", "panelDeadline": "2026-10-30", "reason": "国庆假期顺延"])
            #expect(moved.status == .seeOther)
            #expect(try await browser.get("/periods/2026Q3?done=deadlines").body.string.contains("自查报送截止 2026-10-20"))
            let refused = try await browser.post("/periods/2026Q3/withdraw", form: ["reason": "误建"])
            #expect(refused.status == .conflict && refused.body.string.contains("已有工作"))
        }
    }
}
