import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    @Suite struct AuthAPITests {
        struct Credentials: Content { let username: String; let password: String }
        struct Token: Content { let token: String }

        func requestToken(_ app: Application, _ username: String, _ password: String) async throws
            -> TestingHTTPResponse
        {
            var captured: TestingHTTPResponse?
            try await app.testing().test(
                .POST, "/api/v1/auth/token",
                beforeRequest: { req in
                    try req.content.encode(Credentials(username: username, password: password), as: .json)
                }
            ) { captured = $0 }
            return try #require(captured)
        }

        @Test func tokenForRightPasswordOpensMe() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let res = try await requestToken(app, "zhibu1", "secret-pass-2026")
                #expect(res.status == .ok)
                let token = try res.content.decode(Token.self).token
                try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]) { res in
                    #expect(res.status == .ok)
                    let me = try res.content.decode(AuthAPIController.MeResponse.self)
                    #expect(me.username == "zhibu1")
                    #expect(me.displayName == "张一")
                    #expect(me.roles.map(\.role) == ["branchSecretary"])
                    #expect(me.roles.map(\.unit) == ["branch-1"])
                }
            }
        }

        @Test func wrongPasswordIs401() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                #expect(try await requestToken(app, "zhibu1", "wrong-pass").status == .unauthorized)
                #expect(try await requestToken(app, "nobody", "wrong-pass").status == .unauthorized)
            }
        }

        @Test func emptyUsernameIs422NamingTheField() async throws {
            try await withKaohe { app in
                let res = try await requestToken(app, " ", "x")
                #expect(res.status == .unprocessableEntity)
                let body = try res.content.decode(ErrorBody.self)
                #expect(body.reason.hasPrefix("username"))
            }
        }

        @Test func failuresOlderThanTheWindowDoNotCount() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                for _ in 0..<10 {
                    try await SignInFailure(
                        username: "zhibu1", client: "unknown", failedAt: Date().addingTimeInterval(-16 * 60)
                    ).create(on: app.db)
                }
                #expect(try await requestToken(app, "zhibu1", "secret-pass-2026").status == .ok)
            }
        }

        @Test func meWithoutOrWithBadTokenIs401() async throws {
            try await withKaohe { app in
                try await app.testing().test(.GET, "/api/v1/me") { res in
                    #expect(res.status == .unauthorized)
                    let body = try res.content.decode(ErrorBody.self)
                    #expect(body.error)
                }
                try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer not-a-token"]) {
                    res in
                    #expect(res.status == .unauthorized)
                }
            }
        }

        @Test func expiredTokenIs401() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let user = try #require(try await User.query(on: app.db).first())
                let issued = UserToken.issue(for: try user.requireID(), lifetime: -1)
                try await issued.model.create(on: app.db)
                try await app.testing().test(
                    .GET, "/api/v1/me", headers: ["Authorization": "Bearer \(issued.plaintext)"]
                ) { res in
                    #expect(res.status == .unauthorized)
                }
            }
        }

        @Test func tokensAreStoredOnlyAsHashes() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let token = try await requestToken(app, "zhibu1", "secret-pass-2026").content.decode(Token.self).token
                let stored = try await UserToken.query(on: app.db).all().map(\.tokenHash)
                #expect(stored == [UserToken.hash(token)])
                #expect(!stored.contains(token))
            }
        }

        @Test func passwordsAreBcrypt() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let hash = try #require(try await User.query(on: app.db).first()).passwordHash
                #expect(hash.hasPrefix("$2"))
                #expect(!hash.contains("secret-pass-2026"))
            }
        }
    }
}
