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
                let res = try await browser.post(
                    "/account/password", form: ["current": "wrong", "new": "short", "confirm": "other"])
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
                let res = try await browser.post(
                    "/account/password",
                    form: [
                        "current": "secret-pass-2026", "new": "new-secret-pass-2026", "confirm": "new-secret-pass-2026",
                    ])
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
                let res = try await browser.get("/audit?action=unit.create&unit=branch-2")
                #expect(res.status == .ok)
                let page = res.body.string
                #expect(page.contains("审计链完好"))
                #expect(page.contains("组织：机关第二党支部"), "units by name")
                #expect(page.contains("<td>新建组织</td>"), "actions in Chinese")
                #expect(!page.contains("unit:branch-2") && !page.contains("user:zhibu1"))
                #expect(page.contains("北京时间"))
                #expect(page.contains("类型：党支部") && !page.contains("类型：branch"), "coded values in words")
                #expect(page.contains("演示数据") && !page.contains("<td>demo</td>"))
                let grants = try await browser.get("/audit?action=user.create").body.string
                #expect(
                    grants.contains("机关第一党支部 支部书记") && !grants.contains("branchSecretary"), "roles granted, by name")
                // a sheet's events by unit and period, the person by name
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-1", as: "zhibu1")
                let sheet = try await browser.get("/audit?unit=branch-1&period=2026Q3").body.string
                #expect(sheet.contains("2026年第三季度 · 机关第一党支部 考核表"))
                #expect(sheet.contains("考核表报送"))
                #expect(sheet.contains("状态：已报送"))
                #expect(!sheet.contains("机关第二党支部 考核表"))
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
