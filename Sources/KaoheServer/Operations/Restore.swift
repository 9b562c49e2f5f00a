import Fluent
import FluentSQL
import Foundation
import Vapor
import ZIPFoundation

extension KaoheServerApp {
    public struct RestoreProblem: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// `kaohe restore FILE`: into an empty database of either kind. Every row goes in inside one write
    /// transaction (all or nothing), every evidence file is checked against its SHA-256, then the row counts are
    /// compared with the manifest, SQLite's integrity is checked and the audit chain is verified to end where the
    /// backup's ended. Any difference is an error, and the restore is not to be trusted.
    /// Returns the summary to print (rows, files, the audit chain).
    public static func restore(
        settings: Settings, from path: String,
        progress: @escaping @Sendable (WorkProgress) -> Void
    ) async throws -> String {
        let archive = try openArchive(path)
        var summary = ""
        try await withApplication(settings: settings) { app in
            try await app.autoMigrate()
            summary = try await restore(app, from: archive, progress: progress)
        }
        return summary
    }

    static func openArchive(_ path: String) throws -> Archive {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RestoreProblem("备份文件不存在 (no such file): \(path)")
        }
        do {
            return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw RestoreProblem("不是 Kaohe 备份文件 (not a Kaohe backup archive): \(path)")
        }
    }

    /// Restores into a migrated, empty database of a running application (tests call this directly).
    @discardableResult
    static func restore(
        _ app: Application, from archive: Archive,
        progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }
    ) async throws -> String {
        let settings = app.kaoheSettings
        let manifest = try readManifest(archive)
        try await requireEmpty(app.db)
        let byName = Dictionary(uniqueKeysWithValues: BackupArchive.tables.map { ($0.schema, $0) })
        let store = EvidenceStore(settings)
        // Unpacked to files aside first (the transaction then only writes), each table is inserted a page at a time
        // as its lines are read, each evidence file read when it is stored: a restore holds a page, never a table
        // or the evidence whole.
        let spool = FileManager.default.temporaryDirectory.appendingPathComponent("kaohe-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: spool) }
        for table in manifest.tables where byName[table.name] == nil {
            throw RestoreProblem("未知的表 (unknown table) \(table.name)")
        }
        let tables = try manifest.tables.enumerated().map { index, table in
            let url = spool.appendingPathComponent("table-\(index).jsonl")
            try unpack(BackupArchive.entryName(table: table.name), from: archive, to: url)
            return (table, url)
        }
        let evidence = try manifest.evidence.enumerated().map { index, sha256 in
            let url = spool.appendingPathComponent("evidence-\(index)")
            try unpack(BackupArchive.entryName(evidence: sha256), from: archive, to: url)
            return (sha256, url)
        }
        try await app.db.writeTransaction { db in
            for (index, (table, url)) in tables.enumerated() {
                progress(WorkProgress(step: "恢复 restoring tables", done: index, total: tables.count))
                let model = byName[table.name]!
                var count = 0
                try await JSONLines.pages(of: url, size: model.pageSize) { lines in
                    count += lines.count
                    try await model.restoreRows(lines, on: db)
                }
                guard count == table.rows else {
                    throw RestoreProblem("表 \(table.name) 应有 \(table.rows) 行，备份中只有 \(count) 行 (rows missing)")
                }
            }
            progress(WorkProgress(step: "恢复 restoring tables", done: tables.count, total: tables.count))
            // The ledgers' counts are not carried (they follow from the rows): counted again, in the same transaction.
            try await KeptLedgerYear.recountAll(on: db) { done, total in
                progress(WorkProgress(step: "台账 ledgers", done: done, total: total))
            }
            for (index, (sha256, url)) in evidence.enumerated() {
                let data = try Data(contentsOf: url)
                guard EvidenceStore.sha256(data) == sha256 else {
                    throw RestoreProblem("考核依据 \(sha256) 的内容与哈希不符 (evidence content does not match its hash)")
                }
                try await store.put(data, sha256: sha256, on: db)
                progress(WorkProgress(step: "考核依据 evidence", done: index + 1, total: manifest.evidence.count))
            }
        }
        try await check(app.db, against: manifest)
        try await app.db.refreshStatistics()
        let total = manifest.tables.map(\.rows).reduce(0, +)
        return
            "已恢复 restored: \(total) 行 rows, \(manifest.evidence.count) 个考核依据 evidence files; 审计链完好 audit chain intact"
    }

    static func readManifest(_ archive: Archive) throws -> BackupArchive.Manifest {
        let manifest: BackupArchive.Manifest
        do {
            manifest = try JSONDecoder().decode(
                BackupArchive.Manifest.self, from: try read("manifest.json", from: archive))
        } catch let problem as RestoreProblem {
            throw problem
        } catch {
            throw RestoreProblem("备份的清单无法读取 (manifest.json is unreadable): \(error)")
        }
        guard manifest.format == BackupArchive.format, manifest.version <= BackupArchive.formatVersion else {
            throw RestoreProblem("备份格式 \(manifest.format) v\(manifest.version) 不受支持 (unsupported backup format)")
        }
        return manifest
    }

    /// A restore never merges into a working system.
    static func requireEmpty(_ db: any Database) async throws {
        let users = try await User.query(on: db).count(), units = try await Unit.query(on: db).count()
        let events = try await AuditEvent.query(on: db).count()
        guard users == 0, units == 0, events == 0 else {
            throw RestoreProblem(
                "目标数据库不是空的（\(users) 个用户、\(units) 个组织、\(events) 个审计事件），恢复只写入空数据库 (the target database is not empty)")
        }
    }

    /// What was restored is what was backed up.
    static func check(_ db: any Database, against manifest: BackupArchive.Manifest) async throws {
        let byName = Dictionary(uniqueKeysWithValues: BackupArchive.tables.map { ($0.schema, $0) })
        for table in manifest.tables {
            let count = try await byName[table.name]!.rowCount(on: db)
            guard count == table.rows else {
                throw RestoreProblem("表 \(table.name) 恢复后有 \(count) 行，应为 \(table.rows) (row count differs)")
            }
        }
        if let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" {
            let result = try await sql.raw("PRAGMA integrity_check").first()?.decode(
                column: "integrity_check", as: String.self)
            guard result == "ok" else { throw RestoreProblem("SQLite 完整性检查未通过 (integrity_check): \(result ?? "?")") }
        }
        let verification = try await AuditLog.verify(on: db)
        if let firstBreak = verification.firstBreak {
            throw RestoreProblem("恢复后的审计链已损坏 (audit chain broken) \(firstBreak)")
        }
        let last = try await AuditEvent.query(on: db).sort(\.$seq, .descending).first()
        guard last.map({ BackupArchive.Manifest.Tail(seq: $0.seq, hash: $0.hash) }) == manifest.auditTail else {
            throw RestoreProblem("恢复后的审计链终点与备份不符 (the chain does not end where the backup's did)")
        }
    }

    /// An entry unpacked to a file.
    static func unpack(_ name: String, from archive: Archive, to url: URL) throws {
        guard let entry = archive[name] else { throw RestoreProblem("备份中缺少 \(name) (missing from the archive)") }
        _ = try archive.extract(entry, to: url)
    }

    static func read(_ name: String, from archive: Archive) throws -> Data {
        guard let entry = archive[name] else { throw RestoreProblem("备份中缺少 \(name) (missing from the archive)") }
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return data
    }
}
