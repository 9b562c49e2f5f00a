import Fluent
import SQLKit
import Vapor

extension Sheets {
    /// Inside a transaction, holds the sheet's row (FOR UPDATE on PostgreSQL; SQLite has one writer) and
    /// refuses the change when someone saved the sheet since it was read: the newer data is kept, never merged.
    static func lock(_ sheet: Assessment, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let forUpdate = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        let row = try await sql.raw("SELECT version FROM assessments WHERE id = \(bind: try sheet.requireID())\(unsafeRaw: forUpdate)").first()
        let current = try row?.decode(column: "version", as: Int.self)
        guard current == sheet.version else {
            throw Abort(.conflict, reason: "考核表已被他人修改，请刷新后再操作 (the sheet changed since it was read)")
        }
    }
}
