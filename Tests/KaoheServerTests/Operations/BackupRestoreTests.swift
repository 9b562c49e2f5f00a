import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 9: backups that restore, into either kind of database, every row and every evidence file.
    @Suite struct BackupRestoreTests {
        /// Every table's rows as the backup writes them, sorted, so two databases compare row by row.
        static func rows(_ db: any Database) async throws -> [String: [String]] {
            var rows: [String: [String]] = [:]
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("rows-\(UUID().uuidString).jsonl")
            defer { try? FileManager.default.removeItem(at: url) }
            for model in BackupArchive.tables {
                #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
                let file = try FileHandle(forWritingTo: url)
                let count = try await model.dumpRows(on: db, into: file)
                try file.close()
                let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
                #expect(lines.count == count, "\(model.schema)")
                rows[model.schema] = lines.sorted()
            }
            return rows
        }

        static func evidenceHashes(_ app: Application) async throws -> [String] {
            let store = EvidenceStore(app.kaoheSettings)
            var hashes: [String] = []
            for evidence in try await Evidence.query(on: app.db).all() {
                let data = try #require(try await store.get(evidence.sha256, on: app.db))
                hashes.append(EvidenceStore.sha256(data))
                #expect(hashes.last == evidence.sha256)
            }
            return hashes.sorted()
        }

        static func sqliteFile(_ directory: String) -> (inout Settings) -> Void {
            { settings in
                settings.dataDirectory = directory
                settings.database = .sqliteFile(path: directory + "/kaohe.sqlite")
            }
        }

        /// The demo with an upload and an objection's worth of history, backed up, restored elsewhere, compared.
        static func roundTrip(
            from source: @escaping (inout Settings) -> Void, to target: @escaping (inout Settings) -> Void
        ) async throws {
            let archive = NSTemporaryDirectory() + "kaohe-backup-\(UUID().uuidString).zip"
            defer { try? FileManager.default.removeItem(atPath: archive) }
            var before: [String: [String]] = [:], beforeEvidence: [String] = []
            try await withKaohe(
                {
                    $0.demo = true; source(&$0)
                }, bootstrap: true
            ) { app in
                var api = QuarterAPI(app)
                #expect(
                    try await api.upload("branch-1", as: "zhibu1", filename: "会议记录.pdf", data: Data("%PDF-1.4 纪要".utf8))
                        .status == .created)
                #expect(
                    try await api.upload("branch-2", as: "zhibu2", filename: "说明.txt", data: Data("第一行\n第二行".utf8))
                        .status == .created)
                // the organisation over time: a dated move, a rename, an office with its dates
                #expect(
                    try await api.call(
                        .POST, "/api/v1/units/branch-1-group-1-member-3/membership", as: "zuzhi",
                        json: ["action": "move", "to": "branch-1-group-2", "date": "2026-08-01"]
                    ).status == .ok)
                #expect(
                    try await api.call(
                        .PATCH, "/api/v1/units/branch-2", as: "zuzhi", json: ["name": "综合党支部", "date": "2026-11-01"]
                    ).status == .ok)
                let office = try #require(
                    try await RoleGrant.query(on: app.db).filter(\.$role == .branchSecretary).first())
                office.from = "2024-01-01"
                office.to = "2026-11-30"
                try await office.save(on: app.db)
                before = try await rows(app.db)
                for table in [Membership.schema, UnitChange.schema] {
                    #expect(before[table]?.isEmpty == false, "\(table)")
                }
                #expect(before[RoleGrant.schema]?.contains { $0.contains("2026-11-30") } == true)
                beforeEvidence = try await evidenceHashes(app)
                // act
                try await KaoheServerApp.backup(app, to: archive)
            }
            try await withKaohe(target) { app in
                try await KaoheServerApp.restore(app, from: try KaoheServerApp.openArchive(archive))
                // check: every row and every evidence file, and the chain verified
                let after = try await rows(app.db)
                for table in before.keys.sorted() {
                    #expect(after[table] == before[table], "\(table)")
                }
                #expect(try await evidenceHashes(app) == beforeEvidence)
                #expect(beforeEvidence.count == 2)
                #expect(try await AuditLog.verify(on: app.db).firstBreak == nil)
                // and people sign in to the restored system as before
                #expect(try await apiToken(app, "zhibu1", DemoBureau.password).isEmpty == false)
            }
        }

        /// With `DATABASE_URL` set this is PostgreSQL → SQLite; otherwise SQLite → SQLite.
        @Test func aBackupRestoresIntoAnSQLiteFile() async throws {
            let directory = NSTemporaryDirectory() + "kaohe-restored-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try await Self.roundTrip(from: { _ in }, to: Self.sqliteFile(directory))
        }

        /// With `DATABASE_URL` set this is SQLite → PostgreSQL; otherwise SQLite → SQLite.
        @Test func aBackupFromAnSQLiteFileRestoresIntoTheConfiguredDatabase() async throws {
            let directory = NSTemporaryDirectory() + "kaohe-source-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try await Self.roundTrip(from: Self.sqliteFile(directory), to: { _ in })
        }

        /// Issue 29: a table is read a page at a time, each page after the last id of the one before, and written as it
        /// comes; every row once, however many pages.
        @Test func aTableLongerThanAPageIsReadWholeAndOnce() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let before = try await Unit.query(on: app.db).count()
                let extra = (0..<(Unit.pageSize * 2 + 17)).map {
                    Unit(code: "extra-\($0)", name: "单位\($0)", kind: .branch, parentCode: OrgTree.rootCode)
                }
                try await extra.create(on: app.db, inBatchesOf: 500)
                let rows = try await Self.rows(app.db)[Unit.schema] ?? []
                #expect(rows.count == before + extra.count)
                #expect(Set(rows).count == rows.count, "no row twice")
            }
        }

        /// A restore reads its lines a page at a time: a line split across two reads is still one line.
        @Test func jsonLinesArePagedWholeLineByWholeLine() async throws {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: url) }
            let lines = (0..<3_001).map { "{\"n\":\($0),\"pad\":\"\(String(repeating: "长", count: $0 % 700))\"}" }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
            var pages: [[String]] = []
            try await JSONLines.pages(of: url, size: 1_000) { page in
                pages.append(page.map { String(decoding: $0, as: UTF8.self) })
            }
            #expect(pages.map(\.count) == [1_000, 1_000, 1_000, 1])
            #expect(pages.flatMap { $0 } == lines)
        }

        @Test func aRestoreIntoADatabaseInUseIsRefused() async throws {
            let archive = NSTemporaryDirectory() + "kaohe-backup-\(UUID().uuidString).zip"
            defer { try? FileManager.default.removeItem(atPath: archive) }
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                try await KaoheServerApp.backup(app, to: archive)
                await #expect(throws: KaoheServerApp.RestoreProblem.self) {
                    try await KaoheServerApp.restore(app, from: try KaoheServerApp.openArchive(archive))
                }
            }
        }
    }
}
