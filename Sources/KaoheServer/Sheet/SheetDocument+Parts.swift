import Fluent
import SQLKit
import Vapor

extension SheetDocument {
    /// What a sheet's document reads besides the sheet: its entries in order, its files, opinions and objection, the
    /// suggestions set aside, and the year's vetoes in force.
    struct Parts: Sendable {
        let entries: [SheetEntry]
        let evidence: [Evidence]
        let opinions: [SheetOpinion]
        let objection: Objection?
        /// The suggestions set aside on the sheet, oldest first.
        let dismissals: [SuggestionDismissal]
        let struck: [String: [String]]

        /// The parts of `sheet`, in one query (`foldedColumns`): six statements were six parses and plans (and on
        /// PostgreSQL six round trips) on the read every sheet's request makes, most of them of empty tables.
        static func read(of sheet: Sheet, in period: Period, on db: any Database) async throws -> Parts {
            let columns = foldedColumns(sheet: SQLBind(try sheet.requireID()), year: SQLBind(period.year), on: db)
            guard let row = try await db.sql.raw("SELECT \(columns)").first() else {
                throw Abort(.internalServerError, reason: "sheet parts unread")
            }
            return try await folded(row, on: db)
        }

        /// The six reads as columns of one row, a subquery each, their rows as JSON (`JSONRows`): `sheet` and `year`
        /// are SQL naming the sheet's id and its period's year, a bind or a column of the query they join
        /// (`SheetLookup`'s, which reads them with its sheet).
        static func foldedColumns(sheet: any SQLExpression, year: any SQLExpression, on db: any Database)
            -> SQLQueryString
        {
            let sql = db.sql
            return """
                \(JSONRows.array(of: SheetEntry.self, where: "t.assessment_id = \(sheet)", orderedBy: "created_at", on: sql)) AS parts_entries,
                \(JSONRows.array(of: Evidence.self, where: "t.assessment_id = \(sheet)", orderedBy: "created_at", on: sql)) AS parts_evidence,
                \(JSONRows.array(of: SheetOpinion.self, where: "t.assessment_id = \(sheet) AND t.text <> ''", on: sql)) AS parts_opinions,
                \(JSONRows.array(of: Objection.self, where: "t.assessment_id = \(sheet)", limit: 1, on: sql)) AS parts_objection,
                \(JSONRows.array(of: SuggestionDismissal.self, where: "t.assessment_id = \(sheet)", orderedBy: "created_at", on: sql)) AS parts_dismissals,
                \(JSONRows.array(of: VetoRecord.self, where: "t.year = \(year) AND t.withdrawn_at IS NULL", on: sql)) AS parts_vetoes
                """
        }

        /// The parts from a row with `foldedColumns`.
        static func folded(_ row: any SQLRow, on db: any Database) async throws -> Parts {
            Parts(
                entries: try JSONRows.rows(row.decode(column: "parts_entries", as: String?.self)).map(
                    SheetEntry.init(row:)),
                evidence: try JSONRows.models(Evidence.self, "parts_evidence", of: row),
                opinions: try JSONRows.models(SheetOpinion.self, "parts_opinions", of: row),
                objection: try JSONRows.models(Objection.self, "parts_objection", of: row).first,
                dismissals: try JSONRows.models(SuggestionDismissal.self, "parts_dismissals", of: row),
                struck: try await Vetoes.struck(by: JSONRows.models(VetoRecord.self, "parts_vetoes", of: row), on: db))
        }
    }
}
