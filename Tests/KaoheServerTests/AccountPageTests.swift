import Fluent
import Testing
import VaporTesting
@testable import KaoheServer

extension ServerTests {
    @Suite struct AccountPageTests {
        @Test func passwordChangeNeedsTheCurrentPasswordAndMatchingConfirmation() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                try await browser.signIn("zhibu1", "secret-pass-2026")
                try await browser.get("/account/password")
                let res = try await browser.post("/account/password", form: ["current": "wrong", "new": "short", "confirm": "other"])
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("当前密码不正确"))
                #expect(res.body.string.contains("密码至少 12 个字符"))
                #expect(res.body.string.contains("两次输入的新密码不一致"))
            }
        }

        @Test func changedPasswordSignsInAndOldTokensStop() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let token = try await apiToken(app, "zhibu1", "secret-pass-2026")
                let browser = Browser(app)
                try await browser.signIn("zhibu1", "secret-pass-2026")
                try await browser.get("/account/password")
                let res = try await browser.post("/account/password", form: ["current": "secret-pass-2026", "new": "new-secret-pass-2026", "confirm": "new-secret-pass-2026"])
                #expect(res.status == .ok)
                #expect(res.body.string.contains("密码已修改"))
                try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]) { res in
                    #expect(res.status == .unauthorized)
                }
                #expect(try await Browser(app).signIn("zhibu1", "new-secret-pass-2026").status == .seeOther)
                let events = try await AuditEvent.query(on: app.db).sort(\.$seq).all().map(\.action)
                #expect(events == ["user.create", "user.password"])
            }
        }

        @Test func auditPageShowsEventsAndChainStateToTheOrganizer() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = Browser(app)
                try await browser.signIn("zuzhi", DemoBureau.password)
                let res = try await browser.get("/audit?action=unit.create&subject=branch-2")
                #expect(res.status == .ok)
                #expect(res.body.string.contains("审计链完好"))
                #expect(res.body.string.contains("unit:branch-2"))
                #expect(!res.body.string.contains("user:zhibu1"))
            }
        }

        @Test func navShowsTheAuditLinkOnlyToItsReaders() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let organizer = Browser(app)
                try await organizer.signIn("zuzhi", DemoBureau.password)
                #expect(try await organizer.get("/").body.string.contains(#"href="/audit""#))
                let secretary = Browser(app)
                try await secretary.signIn("zhibu1", DemoBureau.password)
                #expect(!(try await secretary.get("/").body.string.contains(#"href="/audit""#)))
            }
        }
    }
}
