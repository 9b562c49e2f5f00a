import Fluent
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    @Suite struct UsersAdminTests {
        func signedInAdmin(_ app: Application) async throws -> Browser {
            try await Browser.signedIn(app, "admin", on: "/admin/users")
        }

        @Test func adminCreatesASecretaryWhoCanSignIn() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await signedInAdmin(app)
                let res = try await browser.post(
                    "/admin/users",
                    form: [
                        "username": "zhibu5", "displayName": "钱五", "password": "long-enough-2026",
                        "role": "branchSecretary", "unit": "branch-1",
                    ])
                #expect(res.status == .seeOther)
                let me = try await apiToken(app, "zhibu5", "long-enough-2026")
                #expect(!me.isEmpty)
                let event = try #require(try await AuditEvent.query(on: app.db).sort(\.$seq, .descending).first())
                #expect(event.action == "user.create")
                #expect(event.actor == "admin")
            }
        }

        @Test func aRoleOnTheWrongKindOfUnitIsRefusedWithTheReason() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await signedInAdmin(app)
                let res = try await browser.post(
                    "/admin/users/zhibu2/roles", form: ["role": "groupLeader", "unit": "branch-2"])
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("党小组长须设在党小组上"))
            }
        }

        @Test func grantAndRevokeAreAuditedAndTakeEffect() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await signedInAdmin(app)
                #expect(
                    try await browser.post(
                        "/admin/users/zhibu2/roles", form: ["role": "committeeMember", "unit": "branch-3"]
                    ).status == .seeOther)
                let user = try #require(try await User.query(on: app.db).filter(\.$username == "zhibu2").first())
                let grant = try #require(
                    try await user.$roles.query(on: app.db).filter(\.$role == .committeeMember).first())
                #expect(grant.unitCode == "branch-3")
                let revoke = try await browser.post(
                    "/admin/users/zhibu2/roles/\(try grant.requireID())/revoke", form: [:])
                #expect(revoke.status == .seeOther)
                #expect(try await user.$roles.query(on: app.db).filter(\.$role == .committeeMember).count() == 0)
                let actions = try await AuditEvent.query(on: app.db).sort(\.$seq, .descending).limit(2).all().map(
                    \.action)
                #expect(actions == ["role.revoke", "role.grant"])
            }
        }

        @Test func theLastAdminCannotBeRevoked() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await signedInAdmin(app)
                let admin = try #require(try await User.query(on: app.db).filter(\.$username == "admin").first())
                let grant = try #require(try await admin.$roles.query(on: app.db).first())
                let res = try await browser.post("/admin/users/admin/roles/\(try grant.requireID())/revoke", form: [:])
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("最后一个系统管理员"))
            }
        }

        @Test func aSecretaryCannotReachTheAdminPages() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = Browser(app)
                try await browser.signIn("zhibu1", DemoBureau.password)
                try await browser.get("/")
                let res = try await browser.post(
                    "/admin/users/zhibu1/roles", form: ["role": "admin", "unit": "general"])
                #expect(res.status == .forbidden)
                #expect(try await RoleGrant.query(on: app.db).filter(\.$role == .admin).count() == 1)
            }
        }
    }
}
