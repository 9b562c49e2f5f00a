import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    @Suite struct HealthAndErrorTests {
        @Test func healthzAnswersOnceTheDatabaseAnswers() async throws {
            try await withKaohe { app in
                try await app.testing().test(.GET, "/healthz") { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.contains(#""status":"ok""#))
                }
            }
        }

        @Test func unknownAPIRouteIsJSONError() async throws {
            try await withKaohe { app in
                try await app.testing().test(.GET, "/api/v1/nothing-here") { res in
                    #expect(res.status == .notFound)
                    let body = try res.content.decode(ErrorBody.self)
                    #expect(body.error)
                    #expect(!body.reason.isEmpty)
                }
            }
        }

        @Test func unknownPageIsChineseHTMLError() async throws {
            try await withKaohe { app in
                try await app.testing().test(.GET, "/no-such-page") { res in
                    #expect(res.status == .notFound)
                    #expect(res.headers.contentType?.subType == "html")
                    #expect(res.body.string.contains("页面不存在"))
                }
            }
        }

        /// Error pages speak Chinese in the site's layout, with a way back: never a bare "Not Found" or
        /// "Payload Too Large".
        @Test func errorPagesAreChinesePagesOfTheSiteWithAWayBack() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(app, "zhibu1", on: "/")
                let missing = try await secretary.get("/periods/2026Q3/sheets/no-such-unit")
                #expect(missing.status == .notFound)
                let page = missing.body.string
                #expect(page.contains("主导航"), "in the site's layout, navigation and all")
                #expect(page.contains("返回工作台"))
                #expect(!page.contains("Not Found"))
                let unknown = try await secretary.get("/no-such-page").body.string
                #expect(
                    unknown.contains("主导航") && unknown.contains("页面不存在"),
                    "an address no route knows keeps the layout too")
                try await app.testing().test(
                    .GET, "/no-such-page",
                    beforeRequest: { req in
                        req.headers.replaceOrAdd(name: .referer, value: "http://localhost/periods")
                        req.headers.replaceOrAdd(name: .host, value: "localhost")
                    }
                ) { res in
                    #expect(res.body.string.contains("href=\"/periods\">返回上一页"))
                }
                try await app.testing().test(
                    .POST, "/login",
                    beforeRequest: { req in
                        req.headers.contentType = .urlEncodedForm
                        req.body = ByteBuffer(string: "username=" + String(repeating: "a", count: 64 * 1024))
                    }
                ) { res in
                    #expect(res.status == .payloadTooLarge)
                    #expect(res.body.string.contains("内容过大"))
                    #expect(!res.body.string.contains("Payload Too Large"))
                }
            }
        }

        @Test func malformedJSONIsBadRequestNot500() async throws {
            try await withKaohe { app in
                try await app.testing().test(
                    .POST, "/api/v1/auth/token",
                    beforeRequest: { req in
                        req.headers.contentType = .json
                        req.body = .init(string: "{\"username\": ")
                    }
                ) { res in
                    #expect(res.status == .badRequest)
                    let body = try res.content.decode(ErrorBody.self)
                    #expect(body.error)
                }
            }
        }

        @Test func missingFieldNamesTheField() async throws {
            try await withKaohe { app in
                try await app.testing().test(
                    .POST, "/api/v1/auth/token",
                    beforeRequest: { req in
                        try req.content.encode(["username": "zhibu1"], as: .json)
                    }
                ) { res in
                    #expect(res.status == .badRequest)
                    let body = try res.content.decode(ErrorBody.self)
                    #expect(body.reason.contains("password"))
                }
            }
        }

        @Test func pagesCarrySecurityHeaders() async throws {
            try await withKaohe { app in
                try await app.testing().test(.GET, "/login") { res in
                    #expect(res.headers.first(name: "X-Frame-Options") == "DENY")
                    #expect(res.headers.first(name: "X-Content-Type-Options") == "nosniff")
                    #expect(
                        res.headers.first(name: "Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
                }
            }
        }

        @Test func stylesheetIsServed() async throws {
            try await withKaohe { app in
                try await app.testing().test(.GET, "/css/kaohe.css") { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.contains("Noto Sans CJK SC"))
                }
            }
        }
    }
}
