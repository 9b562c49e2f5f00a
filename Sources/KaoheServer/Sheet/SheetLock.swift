import Fluent
import SQLKit
import Vapor

extension Sheets {
    /// Inside a transaction, writes the sheet's workflow columns (a move, a publication, a removal's new version) in
    /// one statement that holds only while the sheet is still at `version`, the one it was read at: the check and
    /// the write in one round trip, not a read and then a save.
    /// Whoever saved the sheet since is kept and this move refused (409). On PostgreSQL the UPDATE waits for a
    /// writer that holds the row and then sees its version, so no lock is taken before it.
    static func saveMove(_ sheet: Sheet, from version: Int, on db: any Database) async throws {
        let moved = try await db.sql.raw(
            """
            UPDATE \(ident: Sheet.schema) SET state = \(bind: sheet.state.rawValue), version = \(bind: sheet.version),
              submitted_at = \(bind: sheet.submittedAt), late = \(bind: sheet.late), self_reported = \(bind: sheet.selfReported),
              review_late = \(bind: sheet.reviewLate), self_score = \(bind: sheet.selfScore), published_on = \(bind: sheet.publishedOn),
              published_score = \(bind: sheet.publishedScore), opinion = \(bind: sheet.opinion)
            WHERE id = \(bind: try sheet.requireID()) AND version = \(bind: version) RETURNING id
            """
        ).first()
        guard moved != nil else {
            throw Abort(.conflict, reason: "考核表已被他人修改，请刷新后再操作 (the sheet changed since it was read)")
        }
    }

    /// Inside a transaction, holds the sheet's row for an addition and raises its version, in one statement: what
    /// `lockForAddition` and then a save of the version did in two round trips of every entry saved. Refused (409)
    /// when the sheet moved to another state since it was read.
    static func raiseForAddition(_ sheet: Sheet, on db: any Database) async throws {
        let row = try await db.sql.raw(
            """
            UPDATE \(ident: Sheet.schema) SET version = version + 1
            WHERE id = \(bind: try sheet.requireID()) AND state = \(bind: sheet.state.rawValue) RETURNING version
            """
        ).first()
        guard let row else {
            throw Abort(.conflict, reason: "考核表已被他人修改，请刷新后再操作 (the sheet changed since it was read)")
        }
        sheet.version = try row.decode(column: "version", as: Int.self)
    }

    /// Inside a transaction, holds the sheet's row for an addition that edits nothing anyone read (a new entry):
    /// other additions since the sheet was read are no conflict, so four writers on one sheet all succeed; a move
    /// to another state since then is, because what may be added depends on the state.
    static func lockForAddition(_ sheet: Sheet, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { return }
        let forUpdate = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        let row = try await sql.raw(
            "SELECT version, state FROM assessments WHERE id = \(bind: try sheet.requireID())\(unsafeRaw: forUpdate)"
        ).first()
        guard let row, try row.decode(column: "state", as: String.self) == sheet.state.rawValue else {
            throw Abort(.conflict, reason: "考核表已被他人修改，请刷新后再操作 (the sheet changed since it was read)")
        }
        sheet.version = try row.decode(column: "version", as: Int.self)
    }
}
