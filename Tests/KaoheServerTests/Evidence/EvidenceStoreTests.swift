import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Evidence bytes are kept once under their SHA-256, whoever uploads them and however many at once.
    @Suite struct EvidenceStoreTests {
        /// The same file uploaded twice at the same moment (two secretaries, a double click): both are kept as the
        /// one content, no error (a duplicate key and a 500 on PostgreSQL before).
        @Test func theSameBytesPutAtOnceAreKeptOnceWithoutError() async throws {
            try await withKaohe { app in
                let data = Data("党员大会会议记录 2026-09-08".utf8)
                let sha256 = EvidenceStore.sha256(data)
                for store in [EvidenceStore(app.kaoheSettings), .database] {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 1...8 { group.addTask { try await store.put(data, sha256: sha256, on: app.db) } }
                        try await group.waitForAll()
                    }
                    #expect(try await store.get(sha256, on: app.db) == data)
                }
                #expect(try await EvidenceBlob.query(on: app.db).count() == 1)
            }
        }
    }
}
