import FluentSQL
import Vapor

extension KaoheServerApp {
    /// `kaohe audit verify`: the number of events, and the first broken one if the chain is broken. A database
    /// that is missing, was never set up or holds no event is no proof of anything: it is reported as broken.
    public static func verifyAuditChain(settings: Settings) async throws -> (count: Int, firstBreak: String?) {
        if case .sqliteFile(let path) = settings.database, !FileManager.default.fileExists(atPath: path) {
            return (0, "数据库文件不存在 (no database at \(path))")
        }
        var result: (Int, String?) = (0, nil)
        try await withApplication(settings: settings) { app in
            guard try await isInitialised(app.db) else {
                result = (0, "数据库是空的，尚未初始化 (the database was never set up)")
                return
            }
            try await app.autoMigrate()
            let verification = try await AuditLog.verify(on: app.db)
            if verification.count == 0 {
                result = (0, "审计日志中没有任何事件 (the audit log is empty)")
            } else {
                result = (verification.count, verification.firstBreak?.description)
            }
        }
        return result
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
