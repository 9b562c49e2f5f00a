import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 12: several Kaohe instances behind one reverse proxy serve one bureau system. On PostgreSQL both
    /// sessions and evidence live in the database, so whichever instance a request reaches knows them.
    @Suite(.enabled(if: ProcessInfo.processInfo.environment["DATABASE_URL"] != nil, "two instances share a PostgreSQL"))
    struct MultiInstanceTests {
        /// A second instance on the first one's database, configured as `kaohe serve` configures it.
        static func secondInstance(beside first: Application, _ test: (Application) async throws -> Void) async throws {
            let second = try await Application.make(.testing)
            second.logger.logLevel = .warning
            do {
                var settings = first.kaoheSettings
                settings.dataDirectory = NSTemporaryDirectory() + "kaohe-second-\(UUID().uuidString)"
                try await configure(second, settings: settings)
                try await test(second)
            } catch {
                try? await second.asyncShutdown()
                throw error
            }
            try await second.asyncShutdown()
        }

        @Test func aSessionBegunOnOneInstanceIsValidOnTheOther() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { first in
                let browser = try await Browser.signedIn(first, "zhibu1", on: "/periods/2026Q3/sheets/branch-1")
                try await Self.secondInstance(beside: first) { second in
                    let elsewhere = Browser(second)
                    elsewhere.cookies = browser.cookies
                    let page = try await elsewhere.get("/periods/2026Q3/sheets/branch-1")
                    #expect(page.status == .ok)
                    #expect(page.body.string.contains("张一"), "signed in as the same person")
                }
            }
        }

        struct Uploaded: Content { let id: UUID }

        @Test func evidenceUploadedThroughOneDownloadsFromTheOther() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { first in
                var api = QuarterAPI(first)
                let bytes = Data("第三季度支委会会议记录".utf8)
                let uploaded = try await api.upload("branch-1", as: "zhibu1", filename: "记录.txt", data: bytes)
                #expect(uploaded.status == .created)
                let id = try uploaded.content.decode(Uploaded.self).id
                let token = try await api.token("zhibu1")
                try await Self.secondInstance(beside: first) { second in
                    try await second.testing().test(
                        .GET, "/api/v1/periods/2026Q3/assessments/branch-1/evidence/\(id)",
                        beforeRequest: { req in
                            req.headers.bearerAuthorization = .init(token: token)
                        }
                    ) { res in
                        #expect(res.status == .ok)
                        #expect(Data(buffer: res.body) == bytes)
                    }
                }
            }
        }
    }
}
