import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 办法 四 through the API on the demo's 2026Q3: the branch reports, the organizer forwards or returns,
    /// the panel leader closes the review, the approver fixes the result.
    @Suite struct WorkflowAPITests {
        struct Score: Content { let total: Decimal }
        struct SheetJSON: Content {
            let state: String; let version: Int; let late: Bool; let selfScore: Score?; let score: Score
        }

        let path = "/api/v1/periods/2026Q3/assessments/branch-1"

        func act(
            _ app: Application, _ action: String, as user: String, version: Int, reason: String? = nil,
            opinion: String? = nil, _ check: (TestingHTTPResponse) async throws -> Void
        ) async throws {
            let token = try await apiToken(app, user, DemoBureau.password)
            try await app.testing().test(
                .POST, path + "/actions/" + action,
                beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: token)
                    var body: [String: Any] = ["version": version]
                    if let reason { body["reason"] = reason }
                    if let opinion { body["opinion"] = opinion }
                    req.headers.contentType = .json
                    req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))
                }, afterResponse: check)
        }

        func current(_ app: Application) async throws -> SheetJSON {
            let token = try await apiToken(app, "zuzhi", DemoBureau.password)
            var sheet: SheetJSON?
            try await app.testing().test(.GET, path, headers: ["Authorization": "Bearer \(token)"]) { res in
                sheet = try res.content.decode(SheetJSON.self)
            }
            return try #require(sheet)
        }

        @Test func aQuarterGoesFromSelfAssessmentToApproval() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var sheet = try await current(app)
                try await act(app, "submit", as: "zhibu1", version: sheet.version) { res in
                    #expect(res.status == .ok)
                    let submitted = try res.content.decode(SheetJSON.self)
                    #expect(submitted.state == "submitted")
                    #expect(submitted.selfScore?.total == 97, "the self-assessed score is kept at submission")
                }
                sheet = try await current(app)
                try await act(app, "forward", as: "zuzhi", version: sheet.version) { res in
                    #expect(res.status == .ok)
                }
                var api = QuarterAPI(app)
                try await api.settle("branch-1", as: "kaohe1")
                sheet = try await current(app)
                try await act(app, "review", as: "kaohe1", version: sheet.version, opinion: "台账齐全，考核属实") { res in
                    #expect(res.status == .ok)
                }
                sheet = try await current(app)
                try await act(app, "approve", as: "shuji", version: sheet.version) { res in
                    #expect(res.status == .ok)
                    let decoded = try res.content.decode(SheetJSON.self)
                    #expect(decoded.state == "approved")
                }
                let moves = try await AuditEvent.query(on: app.db).filter(\.$action ~~ "sheet.").sort(\.$seq).all().map(
                    \.action)
                #expect(moves == ["sheet.submit", "sheet.forward", "sheet.review", "sheet.approve"])
            }
        }

        @Test func aStaleVersionIsRefusedAndTheNewerDataKept() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let sheet = try await current(app)
                try await act(app, "submit", as: "zhibu1", version: sheet.version - 1) { res in
                    #expect(res.status == .conflict)
                }
                #expect(try await current(app).state == "draft")
            }
        }

        @Test func aReturnNeedsAReasonAndGoesBackToDraft() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                try await act(app, "submit", as: "zhibu1", version: try await current(app).version) { _ in }
                let version = try await current(app).version
                try await act(app, "return", as: "zuzhi", version: version) { res in
                    #expect(res.status == .unprocessableEntity)
                    let decoded = try res.content.decode(ErrorBody.self)
                    #expect(decoded.reason.hasPrefix("reason"))
                }
                try await act(app, "return", as: "zuzhi", version: version, reason: "加分项缺具体材料") { res in
                    #expect(res.status == .ok)
                }
                #expect(try await current(app).state == "draft")
            }
        }

        @Test func eachStepBelongsToItsRole() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let version = try await current(app).version
                try await act(app, "submit", as: "zuzhi", version: version) { res in #expect(res.status == .forbidden) }
                try await act(app, "approve", as: "zhibu1", version: version) { res in #expect(res.status == .forbidden)
                }
                try await act(app, "approve", as: "shuji", version: version) { res in
                    #expect(res.status == .conflict, "approving a draft skips steps")
                }
                try await act(app, "submit", as: "zhibu1", version: version) { _ in }
                try await act(app, "forward", as: "zuzhi", version: version + 1) { _ in }
                try await act(app, "review", as: "kaohe2", version: version + 2) { res in
                    #expect(res.status == .forbidden, "only the panel leader closes the review")
                }
            }
        }
    }
}
