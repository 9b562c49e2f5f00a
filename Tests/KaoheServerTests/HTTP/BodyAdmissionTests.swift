import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 27, the attacker's list: who may send a body, and how much, is decided from the path, the session and
    /// the headers, before a byte of the body is waited for or read.
    @Suite struct BodyAdmissionTests {
        static let malformed = "--abc\r\nthis is no multipart--"

        /// Reading the body would answer 400 (it is malformed): a refusal instead shows it was never read.
        @Test func whoMayUploadIsDecidedBeforeTheBodyIsRead() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let member = try await api.token("dangyuan1"), secretary = try await api.token("zhibu1")
                let evidence = "/api/v1/periods/2026Q3/assessments/branch-1/evidence"
                let refused = try await ReliabilityTests.post(app, evidence, Self.malformed, token: member)
                #expect(refused == .forbidden || refused == .notFound, "\(refused)")
                // another branch's plan file: the route's access rule, applied before the body
                let plan = "/api/v1/units/branch-2/documents/\(UUID())/file"
                #expect(try await ReliabilityTests.post(app, plan, Self.malformed, token: secretary) == .forbidden)
                // the sheet's own secretary gets as far as the body, which is malformed
                #expect(try await ReliabilityTests.post(app, evidence, Self.malformed, token: secretary) == .badRequest)

                let stranger = try await Browser.signedIn(app, "zhibu2", on: "/periods/2026Q3/sheets/branch-2")
                let page = try await stranger.uploadRaw(
                    "/periods/2026Q3/sheets/branch-1/entries", body: Data(Self.malformed.utf8), boundary: "abc")
                #expect(page.status == .forbidden || page.status == .notFound, "\(page.status)")
            }
        }

        /// A body that says it is 200 MB is answered at once, before any of it arrives, anonymous or not.
        @Test func aBodyDeclaredOverItsLimitIsRefusedFromTheHeaders() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let secretary = try await api.token("zhibu1")
                try await RawHTTP.serving(app) { port in
                    for (path, type, token) in [
                        (
                            "/api/v1/periods/2026Q3/assessments/branch-1/evidence", "multipart/form-data; boundary=abc",
                            secretary
                        ),
                        ("/api/v1/periods/2026Q3/assessments/branch-1/entries", "application/json", secretary),
                        ("/api/v1/auth/token", "application/json", nil),
                        ("/login", "application/x-www-form-urlencoded", nil),
                    ] {
                        let authorization = token.map { "Authorization: Bearer \($0)\r\n" } ?? ""
                        let status = RawHTTP.status(
                            port: port,
                            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(authorization)Content-Type: \(type)\r\n"
                                + "Content-Length: 200000000\r\n\r\n{")
                        #expect(status == 413, "\(path)")
                    }
                }
            }
        }

        /// A client that drips its JSON a byte at a time is answered 408 at the deadline, not held open.
        @Test func aJSONBodyMustArriveWithinItsDeadline() async throws {
            try await withKaohe(
                {
                    $0.demo = true; $0.formBodyDeadline = 1
                }, bootstrap: true
            ) { app in
                try await RawHTTP.serving(app) { port in
                    let status = RawHTTP.status(
                        port: port,
                        "POST /api/v1/auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{", wait: 10)
                    #expect(status == 408)
                }
            }
        }
    }
}
