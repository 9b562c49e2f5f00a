import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    @Suite struct SignInPageTests {
        @Test func signInPageIsChineseAndCarriesCSRF() async throws {
            try await withKaohe { app in
                let browser = Browser(app)
                let res = try await browser.get("/login")
                #expect(res.status == .ok)
                #expect(res.body.string.contains(#"<html lang="zh-CN">"#))
                #expect(res.body.string.contains("登录"))
                #expect(browser.csrf != nil)
            }
        }

        @Test func sessionCookieIsHttpOnlyAndSameSiteLax() async throws {
            try await withKaohe { app in
                let browser = Browser(app)
                try await browser.get("/login")
                let cookie = try #require(browser.lastSetCookie.first { $0.hasPrefix("kaohe_session=") })
                #expect(cookie.contains("HttpOnly"))
                #expect(cookie.contains("SameSite=Lax"))
                #expect(!cookie.contains("Secure"))
                #expect(
                    cookie.contains("Max-Age=\(app.kaoheSettings.sessionLifetime.formatted(.number.grouping(.never)))"),
                    "the session's lifetime")
            }
        }

        @Test func cookieIsSecureWhenServedOverHTTPS() async throws {
            try await withKaohe({ $0.secureCookies = true }) { app in
                let browser = Browser(app)
                try await browser.get("/login")
                let cookie = try #require(browser.lastSetCookie.first { $0.hasPrefix("kaohe_session=") })
                #expect(cookie.contains("Secure"))
            }
        }

        @Test func signInLandsOnTheStartPage() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                let res = try await browser.signIn("zhibu1", "secret-pass-2026")
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/")
                let home = try await browser.get("/")
                #expect(home.status == .ok)
                #expect(home.body.string.contains("工作台"))
                #expect(home.body.string.contains("张一"))
                #expect(home.body.string.contains("支部书记"))
            }
        }

        @Test func signInRenewsTheSessionID() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                try await browser.get("/login")
                let before = browser.cookies["kaohe_session"]?.string
                try await browser.post("/login", form: ["username": "zhibu1", "password": "secret-pass-2026"])
                let after = browser.cookies["kaohe_session"]?.string
                #expect(before != nil)
                #expect(after != nil)
                #expect(before != after)
            }
        }

        /// The form token read before sign-in is not the one after it, and the old one is refused.
        @Test func signInRenewsTheCSRFToken() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                try await browser.get("/login")
                let before = try #require(browser.csrf)
                try await browser.post("/login", form: ["username": "zhibu1", "password": "secret-pass-2026"])
                try await browser.get("/account/password")
                let after = try #require(browser.csrf)
                #expect(before != after)
                browser.csrf = before
                let stale = try await browser.post("/logout", form: [:])
                #expect(stale.status == .forbidden)
            }
        }

        @Test func startPageRedirectsStrangersToSignIn() async throws {
            try await withKaohe { app in
                let res = try await Browser(app).get("/")
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/login")
            }
        }

        @Test func wrongPasswordShowsMessageBesideTheField() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let res = try await Browser(app).signIn("zhibu1", "nope-nope")
                #expect(res.status == .unauthorized)
                #expect(res.body.string.contains("用户名或密码不正确"))
                #expect(res.body.string.contains(#"value="zhibu1""#))
            }
        }

        @Test func throttledSignInShowsMessage() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                for _ in 0..<5 { try await browser.signIn("zhibu1", "guess-guess") }
                let res = try await browser.signIn("zhibu1", "secret-pass-2026")
                #expect(res.status == .tooManyRequests)
                #expect(res.body.string.contains("登录失败次数过多"))
            }
        }

        @Test func formWithoutCSRFTokenIsRefused() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                try await browser.get("/login")
                let res = try await browser.post(
                    "/login", form: ["username": "zhibu1", "password": "secret-pass-2026"], includeCSRF: false)
                #expect(res.status == .forbidden)
                #expect(res.body.string.contains("表单已过期"))
            }
        }

        @Test func crossSiteOriginIsRefused() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                try await browser.get("/login")
                let res = try await browser.post(
                    "/login", form: ["username": "zhibu1", "password": "secret-pass-2026"],
                    origin: "https://evil.example")
                #expect(res.status == .forbidden)
            }
        }

        /// Reading pages leaves the session as it was: on deadline day every page read would otherwise be a write.
        @Test func readingAPageDoesNotRewriteTheSession() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                try await browser.signIn("zhibu1", "secret-pass-2026")
                try await browser.get("/")
                let sql = app.db.sql
                let postgres = sql.dialect.name == "postgresql"
                // A mark an UPDATE of the row would erase: PostgreSQL's row version, or SQLite's text as written.
                if !postgres { try await sql.raw("UPDATE _fluent_sessions SET data = ' ' || data").run() }
                struct Mark: Decodable { let mark: String }
                let read = {
                    try await sql.raw(
                        postgres
                            ? "SELECT xmin::text AS mark FROM _fluent_sessions"
                            : "SELECT data AS mark FROM _fluent_sessions"
                    ).all(decoding: Mark.self).map(\.mark)
                }
                let before = try await read()
                #expect(try await browser.get("/").status == .ok)
                #expect(try await browser.get("/periods").status == .ok)
                #expect(try await read() == before)
                // A change is still kept: signing out ends the session.
                #expect(try await browser.post("/logout", form: [:]).status == .seeOther)
                #expect(try await browser.get("/").status == .seeOther)
            }
        }

        /// The session is read with the user it names: a session naming no user, or not as a UUID, signs no one in.
        @Test func aSessionNamingNoUserSignsNoOneIn() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                try await browser.signIn("zhibu1", "secret-pass-2026")
                #expect(try await browser.get("/").status == .ok)
                let sql = app.db.sql
                let postgres = sql.dialect.name == "postgresql"
                for named in [UUID().uuidString, "not-a-uuid'); --"] {
                    try await sql.raw(
                        postgres
                            ? "UPDATE _fluent_sessions SET data = jsonb_set(data, '{user}', to_jsonb(\(bind: named)::text))"
                            : "UPDATE _fluent_sessions SET data = json_set(data, '$.user', \(bind: named))"
                    ).run()
                    let page = try await browser.get("/")
                    #expect(page.status == .seeOther && page.headers.first(name: .location) == "/login", "\(named)")
                }
            }
        }

        @Test func signOutEndsTheSession() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                try await browser.signIn("zhibu1", "secret-pass-2026")
                try await browser.get("/")
                let res = try await browser.post("/logout", form: [:])
                #expect(res.status == .seeOther)
                #expect(try await browser.get("/").status == .seeOther)
            }
        }

        @Test func expiredSessionSendsBackToSignIn() async throws {
            try await withKaohe({ $0.sessionLifetime = -1 }) { app in
                try await makeUser(app)
                let browser = Browser(app)
                try await browser.signIn("zhibu1", "secret-pass-2026")
                let res = try await browser.get("/")
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/login")
            }
        }

        @Test func nextNeverLeavesTheSite() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                try await browser.get("/login")
                let res = try await browser.post(
                    "/login", form: ["username": "zhibu1", "password": "secret-pass-2026", "next": "//evil.example/x"])
                #expect(res.headers.first(name: .location) == "/")
            }
        }

        /// A browser drops tabs and line breaks from an address, so `/\t/evil.example/` leads to another site: every
        /// such `next` is replaced by the home page, on the form as in the address.
        @Test func nextThroughATabOrALineBreakNeverLeavesTheSite() async throws {
            for sly in [
                "/\t/evil.example/x", "/\n/evil.example/", "/\r\n/evil.example", "/ /evil.example", "/\u{7F}/x",
            ] {
                #expect(SignInController.safeNext(sly) == "/", "\(sly.debugDescription)")
            }
            #expect(SignInController.safeNext("/periods/2026Q3?level=group") == "/periods/2026Q3?level=group")
            try await withKaohe { app in
                try await makeUser(app)
                let browser = Browser(app)
                try await browser.get("/login")
                let res = try await browser.post(
                    "/login",
                    form: ["username": "zhibu1", "password": "secret-pass-2026", "next": "/\t/evil.example/x"])
                #expect(res.headers.first(name: .location) == "/")
            }
        }
    }
}
