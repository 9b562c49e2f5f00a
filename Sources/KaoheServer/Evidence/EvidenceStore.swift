import Crypto
import Fluent
import Foundation
import SQLKit

/// Where evidence bytes live, each once under its SHA-256: files in the data directory with SQLite, rows in
/// the database with PostgreSQL so that several Kaohe servers share them (DESIGN.md storage).
enum EvidenceStore {
    case files(directory: String)
    case database

    init(_ settings: Settings) {
        switch settings.database {
        case .postgres: self = .database
        case .sqliteFile, .sqliteMemory:
            self = .files(directory: (settings.dataDirectory as NSString).appendingPathComponent("evidence"))
        }
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Keeps the bytes durably before the upload is acknowledged: a file is written aside, flushed to disk and
    /// only then moved under its hash, so a crash leaves either nothing or the whole file.
    func put(_ data: Data, sha256: String, on db: any Database) async throws {
        switch self {
        case .database:
            try await Self.insertBlob(sha256, data, on: db)
        case .files:
            let url = fileURL(sha256)
            let fileManager = FileManager.default
            guard !fileManager.fileExists(atPath: url.path) else { return }
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(sha256).\(UUID().uuidString)")
            guard fileManager.createFile(atPath: temporary.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
            }
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            do {
                try fileManager.moveItem(at: temporary, to: url)
            } catch  where fileManager.fileExists(atPath: url.path) {
                // Another upload of the same bytes got there first: the content is the same.
                try? fileManager.removeItem(at: temporary)
            }
        }
    }

    /// Keeps a file that arrived on disk (`SpooledForm`, already flushed): moved under its hash, or read into its
    /// row with PostgreSQL.
    func put(_ file: SpooledForm.File, on db: any Database) async throws {
        switch self {
        case .database:
            guard try await EvidenceBlob.find(file.sha256, on: db) == nil else { return }
            try await Self.insertBlob(file.sha256, try file.contents(), on: db)
        case .files:
            let url = fileURL(file.sha256)
            let fileManager = FileManager.default
            guard !fileManager.fileExists(atPath: url.path) else { return }
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            do {
                try fileManager.moveItem(at: file.url, to: url)
            } catch  where fileManager.fileExists(atPath: url.path) {
                // Another upload of the same bytes got there first: the content is the same.
            }
        }
    }

    /// The same bytes uploaded twice at the same moment: the second insert gives way to the first's row, which
    /// holds the same content, instead of failing on the key.
    private static func insertBlob(_ sha256: String, _ content: Data, on db: any Database) async throws {
        try await db.sql.insert(into: EvidenceBlob.schema).columns("sha256", "content")
            .values(SQLBind(sha256), SQLBind(content)).ignoringConflicts(with: ["sha256"]).run()
    }

    func get(_ sha256: String, on db: any Database) async throws -> Data? {
        switch self {
        case .database:
            return try await EvidenceBlob.find(sha256, on: db)?.content
        case .files:
            return FileManager.default.contents(atPath: fileURL(sha256).path)
        }
    }

    private func fileURL(_ sha256: String) -> URL {
        guard case .files(let directory) = self else { preconditionFailure("files only") }
        return URL(fileURLWithPath: directory).appendingPathComponent(String(sha256.prefix(2))).appendingPathComponent(
            sha256)
    }
}
