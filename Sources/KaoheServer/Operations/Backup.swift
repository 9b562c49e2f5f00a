import Fluent
import FluentSQL
import Foundation
import Vapor
import ZIPFoundation

extension KaoheServerApp {
    /// `kaohe backup FILE`: every table read inside one snapshot while the server keeps serving (a SQLite read
    /// transaction in WAL mode; on PostgreSQL a REPEATABLE READ, READ ONLY transaction), then the evidence the
    /// rows name. Evidence is content-addressed and never changed, so reading it after the snapshot is safe.
    /// The archive is written aside and moved into place, so a failed backup leaves no half file under FILE.
    /// Returns the summary to print (rows, files, where).
    public static func backup(
        settings: Settings, to path: String,
        progress: @escaping @Sendable (WorkProgress) -> Void
    ) async throws -> String {
        var summary = ""
        try await withApplication(settings: settings) { app in
            guard try await isInitialised(app.db) else { throw SettingsError("数据库是空的，没有可备份的内容 (nothing to back up)") }
            try await app.autoMigrate()
            summary = try await backup(app, to: path, progress: progress)
        }
        return summary
    }

    /// The backup of a running application's database (tests call this directly).
    @discardableResult
    static func backup(
        _ app: Application, to path: String,
        progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }
    ) async throws -> String {
        let settings = app.kaoheSettings
        let target = URL(fileURLWithPath: path)
        // The tables are written to files beside the archive as they are read, then packed: no table is held whole.
        let spool = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).tables")
        try? FileManager.default.removeItem(at: spool)
        try FileManager.default.createDirectory(
            at: spool.appendingPathComponent("tables"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: spool) }
        let manifest = try await snapshot(app.db, into: spool, progress: progress)
        let partial = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).partial")
        try? FileManager.default.removeItem(at: partial)
        let archive = try Archive(url: partial, accessMode: .create)
        for (index, table) in manifest.tables.enumerated() {
            progress(WorkProgress(step: "写入 writing tables", done: index, total: manifest.tables.count))
            try archive.addEntry(
                with: BackupArchive.entryName(table: table.name), relativeTo: spool, compressionMethod: .deflate)
        }
        progress(WorkProgress(step: "写入 writing tables", done: manifest.tables.count, total: manifest.tables.count))
        let store = EvidenceStore(settings)
        for (index, sha256) in manifest.evidence.enumerated() {
            guard let data = try await store.get(sha256, on: app.db) else {
                throw SettingsError("考核依据文件缺失 (evidence \(sha256) is missing from the store)")
            }
            try add(data, as: BackupArchive.entryName(evidence: sha256), to: archive)
            progress(WorkProgress(step: "考核依据 evidence", done: index + 1, total: manifest.evidence.count))
        }
        try add(try BackupArchive.encoder.encode(manifest), as: "manifest.json", to: archive)
        try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: partial, to: target)
        let total = manifest.tables.map(\.rows).reduce(0, +)
        return "已备份 backed up: \(total) 行 rows, \(manifest.evidence.count) 个考核依据 evidence files → \(path)"
    }

    /// Every table's rows, each written as it is read to `tables/<name>.jsonl` under `folder`, and the manifest: read
    /// in one consistent snapshot.
    static func snapshot(
        _ db: any Database, into folder: URL, progress: @escaping @Sendable (WorkProgress) -> Void
    ) async throws -> BackupArchive.Manifest {
        let source = (db as? any SQLDatabase)?.dialect.name ?? "unknown"
        return try await db.transaction { db in
            if source == "postgresql", let sql = db as? any SQLDatabase {
                try await sql.raw("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").run()
            }
            var tables: [BackupArchive.Manifest.Table] = []
            for (index, model) in BackupArchive.tables.enumerated() {
                progress(WorkProgress(step: "读取 reading tables", done: index, total: BackupArchive.tables.count))
                let url = folder.appendingPathComponent(BackupArchive.entryName(table: model.schema))
                guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                    throw SettingsError("无法写入临时文件 (cannot write \(url.path))")
                }
                let file = try FileHandle(forWritingTo: url)
                defer { try? file.close() }
                tables.append(.init(name: model.schema, rows: try await model.dumpRows(on: db, into: file)))
            }
            progress(WorkProgress(step: "读取 reading tables", done: tables.count, total: tables.count))
            // The store holds evidence and the plans' attached files alike.
            let attached = try await UnitDocument.query(on: db).filter(\.$fileSHA256 != nil).all().compactMap(
                \.fileSHA256)
            let evidence = Set(try await Evidence.query(on: db).all().map(\.sha256) + attached).sorted()
            let tail = try await AuditEvent.query(on: db).sort(\.$seq, .descending).first()
            let manifest = BackupArchive.Manifest(
                format: BackupArchive.format, version: BackupArchive.formatVersion, createdAt: Date(), source: source,
                tables: tables, evidence: evidence, auditTail: tail.map { .init(seq: $0.seq, hash: $0.hash) })
            return manifest
        }
    }

    private static func add(_ data: Data, as name: String, to archive: Archive) throws {
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate)
        { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}
