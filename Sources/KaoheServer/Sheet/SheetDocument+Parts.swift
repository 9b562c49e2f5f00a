import Fluent
import SQLKit
import Vapor

extension SheetDocument {
    /// What a sheet's document reads besides the sheet: its entries in order, its files, opinions and objection, and
    /// the year's vetoes in force.
    struct Parts: Sendable {
        let entries: [SheetEntry]
        let evidence: [Evidence]
        let opinions: [SheetOpinion]
        let objection: Objection?
        let struck: [String: [String]]

        /// The parts of `sheet`. PostgreSQL: in one query (`folded`); SQLite, where a query is a call, not a round
        /// trip: side by side.
        static func read(of sheet: Sheet, in period: Period, on db: any Database) async throws -> Parts {
            let id = try sheet.requireID()
            if db.sql.dialect.name == "postgresql" { return try await folded(of: id, in: period, on: db) }
            async let entries = sheet.entriesInOrder(on: db)
            async let evidence = db.rows(
                Evidence.self,
                """
                SELECT * FROM \(ident: Evidence.schema) WHERE assessment_id = \(bind: id) ORDER BY created_at
                """)
            async let opinions = db.rows(
                SheetOpinion.self,
                """
                SELECT * FROM \(ident: SheetOpinion.schema) WHERE assessment_id = \(bind: id) AND text <> ''
                """)
            async let objection = db.rows(
                Objection.self,
                """
                SELECT * FROM \(ident: Objection.schema) WHERE assessment_id = \(bind: id) LIMIT 1
                """)
            async let struck = Vetoes.struck(in: period.year, on: db)
            return try await Parts(
                entries: entries, evidence: evidence, opinions: opinions, objection: objection.first, struck: struck)
        }

        /// PostgreSQL: the five reads above as one query, a subquery each, their rows as JSON (`JSONRows`) — one
        /// round trip, parse and plan instead of five, on the read every sheet's request makes.
        private static func folded(of id: UUID, in period: Period, on db: any Database) async throws -> Parts {
            guard
                let row = try await db.sql.raw(
                    "SELECT \(foldedColumns(sheet: SQLBind(id), year: SQLBind(period.year)))"
                ).first()
            else {
                throw Abort(.internalServerError, reason: "sheet parts unread")
            }
            return try await folded(row, on: db)
        }

        /// The five reads as columns of one row (PostgreSQL): `sheet` and `year` are SQL naming the sheet's id and its
        /// period's year, a bind or a column of the query they join (`SheetLookup`'s, which reads them with its sheet).
        static func foldedColumns(sheet: any SQLExpression, year: any SQLExpression) -> SQLQueryString {
            """
            (SELECT json_agg(t ORDER BY t.created_at)::text FROM \(ident: SheetEntry.schema) t WHERE t.assessment_id = \(sheet)) AS parts_entries,
            (SELECT json_agg(t ORDER BY t.created_at)::text FROM \(ident: Evidence.schema) t WHERE t.assessment_id = \(sheet)) AS parts_evidence,
            (SELECT json_agg(t)::text FROM \(ident: SheetOpinion.schema) t WHERE t.assessment_id = \(sheet) AND t.text <> '') AS parts_opinions,
            (SELECT json_agg(t)::text FROM (SELECT * FROM \(ident: Objection.schema) WHERE assessment_id = \(sheet) LIMIT 1) t) AS parts_objection,
            (SELECT json_agg(t)::text FROM \(ident: VetoRecord.schema) t WHERE t.year = \(year) AND t.withdrawn_at IS NULL) AS parts_vetoes
            """
        }

        /// The parts from a row with `foldedColumns`.
        static func folded(_ row: any SQLRow, on db: any Database) async throws -> Parts {
            func models<M: Model>(_ column: String, _ model: M.Type) throws -> [M] {
                try JSONRows.rows(row.decode(column: "parts_" + column, as: String?.self)).map {
                    try $0.decode(fluentModel: M.self)
                }
            }
            return Parts(
                entries: try JSONRows.rows(row.decode(column: "parts_entries", as: String?.self)).map(
                    SheetEntry.init(row:)),
                evidence: try models("evidence", Evidence.self),
                opinions: try models("opinions", SheetOpinion.self),
                objection: try models("objection", Objection.self).first,
                struck: try await Vetoes.struck(by: models("vetoes", VetoRecord.self), on: db))
        }
    }
}
