import FluentSQL
import Vapor

extension KaoheServerApp {
    /// What `kaohe audit verify` found: the number of events, the head (its number and hash, for the operator to
    /// keep), and the first break if the chain is broken.
    public struct AuditChainReport: Sendable {
        public var count = 0
        public var head: String?
        public var firstBreak: String?
    }

    /// `kaohe audit verify [--expect HASH]`. A database that is missing, was never set up or holds no event is no
    /// proof of anything: it is reported as broken. With `expect`, the head kept from an earlier run must still be
    /// in the chain (the tail in the database can be rewritten by whoever deletes the newest events).
    public static func verifyAuditChain(settings: Settings, expect: String? = nil) async throws -> AuditChainReport {
        if case .sqliteFile(let path) = settings.database, !FileManager.default.fileExists(atPath: path) {
            return AuditChainReport(firstBreak: "数据库文件不存在 (no database at \(path))")
        }
        if let expect, expect.split(separator: ":").last.map({ $0.count == 64 && $0.allSatisfy(\.isHexDigit) }) != true
        {
            return AuditChainReport(firstBreak: "--expect 应为链头的 64 位十六进制哈希（可带“序号:”前缀）(a 64-digit hex hash)")
        }
        var report = AuditChainReport()
        try await withApplication(settings: settings) { app in
            guard try await isInitialised(app.db) else {
                report.firstBreak = "数据库是空的，尚未初始化 (the database was never set up)"
                return
            }
            try await app.autoMigrate()
            let verification = try await AuditLog.verify(on: app.db, expecting: expect)
            guard verification.count > 0 else {
                report.firstBreak = "审计日志中没有任何事件 (the audit log is empty)"
                return
            }
            report.count = verification.count
            report.head = verification.head.map { "\($0.seq):\($0.hash)" }
            report.firstBreak = verification.firstBreak?.description
        }
        return report
    }

    /// Whether Kaohe's migrations ever ran on this database.
    static func isInitialised(_ db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { return false }
        do {
            _ = try await sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()
            return true
        } catch {
            return false
        }
    }
}
