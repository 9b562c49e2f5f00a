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

        /// The parts of `sheet`, in one query (`foldedColumns`): five statements were five parses and plans (and on
        /// PostgreSQL five round trips) on the read every sheet's request makes, most of them of empty tables.
        static func read(of sheet: Sheet, in period: Period, on db: any Database) async throws -> Parts {
            let columns = foldedColumns(sheet: SQLBind(try sheet.requireID()), year: SQLBind(period.year), on: db)
            guard let row = try await db.sql.raw("SELECT \(columns)").first() else {
                throw Abort(.internalServerError, reason: "sheet parts unread")
            }
            return try await folded(row, on: db)
        }

        /// The five reads as columns of one row, a subquery each, their rows as JSON (`JSONRows`): `sheet` and `year`
        /// are SQL naming the sheet's id and its period's year, a bind or a column of the query they join
        /// (`SheetLookup`'s, which reads them with its sheet).
        static func foldedColumns(sheet: any SQLExpression, year: any SQLExpression, on db: any Database)
            -> SQLQueryString
        {
            let postgres = db.sql.dialect.name == "postgresql"
            return """
                \(rows(SheetEntry.self, "t.assessment_id = \(sheet)", orderedBy: "created_at", postgres)) AS parts_entries,
                \(rows(Evidence.self, "t.assessment_id = \(sheet)", orderedBy: "created_at", postgres)) AS parts_evidence,
                \(rows(SheetOpinion.self, "t.assessment_id = \(sheet) AND t.text <> ''", postgres)) AS parts_opinions,
                \(rows(Objection.self, "t.assessment_id = \(sheet)", limit: 1, postgres)) AS parts_objection,
                \(rows(VetoRecord.self, "t.year = \(year) AND t.withdrawn_at IS NULL", postgres)) AS parts_vetoes
                """
        }

        /// A subquery whose one value is the JSON array of `model`'s rows `t` where `condition` holds. PostgreSQL
        /// writes a row as JSON itself (`json_agg(t)`); SQLite is given each column by name (`json_object`, from the
        /// model's own list) and keeps the inner query's order.
        private static func rows<M: Model>(
            _ model: M.Type, _ condition: SQLQueryString, orderedBy order: String? = nil, limit: Int? = nil,
            _ postgres: Bool
        ) -> SQLQueryString {
            let orderBy = order.map { " ORDER BY t.\($0)" } ?? ""
            let inner: SQLQueryString = """
                SELECT * FROM \(ident: M.schema) t WHERE \(condition)\(unsafeRaw: orderBy)\(unsafeRaw: limit.map { " LIMIT \($0)" } ?? "")
                """
            if postgres { return "(SELECT json_agg(t\(unsafeRaw: orderBy))::text FROM (\(inner)) t)" }
            let fields = M.keys.map { #"'\#($0.description)', t."\#($0.description)""# }.joined(separator: ", ")
            return "(SELECT json_group_array(json_object(\(unsafeRaw: fields))) FROM (\(inner)) t)"
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
