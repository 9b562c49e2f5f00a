import Fluent
import FluentSQL
import SQLKit
import Vapor

/// Finding the period and the sheet a request names, with the same checks for the API and the pages.
enum SheetLookup {
    static func period(_ req: Request) async throws -> Period {
        let code = req.parameters.get("period") ?? ""
        guard
            let period = try await req.db.rows(
                Period.self,
                """
                SELECT * FROM \(ident: Period.schema) WHERE code = \(bind: code.uppercased())
                """
            ).first
        else {
            throw Abort(.notFound, reason: "没有考核期 \(code)")
        }
        return period
    }

    /// Uploads' admissions (`UploadRoute.Admission`): evidence and an entry with its file come only from those who
    /// may write them on this sheet now.
    static let mayUploadEvidence: UploadRoute.Admission = { req in
        let (_, sheet, viewer) = try await visibleSheet(req)
        try Policy.mayUploadEvidence(sheet, viewer)
    }
    static let mayWriteEntries: UploadRoute.Admission = { req in
        let (_, sheet, viewer) = try await visibleSheet(req)
        _ = try Policy.writableStage(sheet, viewer)
    }

    /// The sheet, if the caller may see it; another unit's draft is 404, never shown.
    static func visibleSheet(_ req: Request) async throws -> (Period, Sheet, Policy.Viewer) {
        let (period, sheet, viewer, _) = try await visibleDocument(req, parts: false)
        return (period, sheet, viewer)
    }

    /// `visibleSheet` with the sheet's parts (`SheetDocument.Parts`), read in the same query where the database allows.
    static func visibleDocument(_ req: Request) async throws -> (Period, Sheet, Policy.Viewer, SheetDocument.Parts) {
        let (period, sheet, viewer, parts) = try await visibleDocument(req, parts: true)
        if let parts { return (period, sheet, viewer, parts) }
        return (period, sheet, viewer, try await SheetDocument.Parts.read(of: sheet, in: period, on: req.db))
    }

    private static func visibleDocument(_ req: Request, parts: Bool) async throws -> (
        Period, Sheet, Policy.Viewer, SheetDocument.Parts?
    ) {
        let user = try req.auth.require(User.self)
        // The reader's roles are read beside the sheet; its chain is kept on it (read from the tree for a sheet
        // opened before it was kept).
        async let found = sheet(req, parts: parts)
        async let grants = Access.roles(of: user, on: req.db)
        let (period, sheet, read) = try await found
        let viewer = try await Policy.viewer(user, grants: try await grants, of: sheet, on: req.db)
        guard Policy.canSee(sheet, viewer) else { throw notFound(period.code, sheet.unitCode) }
        return (period, sheet, viewer, read)
    }

    /// The sheet and its parts for reading only: a branch's published sheet is every signed-in person's (公示), so no
    /// roles or chain are read for it; any other, a filed (备案) group's or member's among them, is checked as
    /// `visibleSheet` checks it.
    static func readableDocument(_ req: Request) async throws -> (Period, Sheet, SheetDocument.Parts) {
        let user = try req.auth.require(User.self)
        let (period, sheet, parts) = try await sheet(req, parts: true)
        if sheet.state != .published || sheet.level != .branch {
            let grants = try await Access.roles(of: user, on: req.db)
            guard Policy.canSee(sheet, try await Policy.viewer(user, grants: grants, of: sheet, on: req.db)) else {
                throw notFound(period.code, sheet.unitCode)
            }
        }
        if let parts { return (period, sheet, parts) }
        return (period, sheet, try await SheetDocument.Parts.read(of: sheet, in: period, on: req.db))
    }

    /// The period and the sheet the address names, in one hand-written query on their unique keys (the period's columns
    /// under `p_`): every sheet route begins here, and on PostgreSQL each query is a round trip, parsed and planned
    /// anew. The period missing is told from the sheet missing by the join's row. With `parts`, the
    /// sheet's parts come in the same row (`SheetDocument.Parts.foldedColumns`); read, never shown, for a sheet the caller
    /// may not see.
    private static func sheet(_ req: Request, parts: Bool) async throws -> (Period, Sheet, SheetDocument.Parts?) {
        let unit = req.parameters.get("unit") ?? ""
        let code = req.parameters.get("period") ?? ""
        let partsColumns: SQLQueryString =
            parts
            ? ", " + SheetDocument.Parts.foldedColumns(sheet: SQLRaw("a.id"), year: SQLRaw("p.year"), on: req.db) : ""
        guard
            let row = try await req.db.sql.raw(
                """
                SELECT a.*, \(unsafeRaw: periodColumns)\(partsColumns) FROM \(ident: Period.schema) p
                LEFT JOIN \(ident: Sheet.schema) a ON a.period_id = p.id AND a.unit_code = \(bind: unit)
                WHERE p.code = \(bind: code.uppercased())
                """
            ).first()
        else {
            throw Abort(.notFound, reason: "没有考核期 \(code)")
        }
        let period = try Period(row: PrefixedRow(row, prefix: "p_"))
        guard try !row.decodeNil(column: "id") else { throw notFound(period.code, unit) }
        let sheet = try row.decode(fluentModel: Sheet.self)
        sheet.$period.value = period
        return (period, sheet, parts ? try await SheetDocument.Parts.folded(row, on: req.db) : nil)
    }

    /// The period's columns as `p.code AS p_code`, …, from its model's own list.
    private static let periodColumns = Period.keys.map { #"p."\#($0.description)" AS "p_\#($0.description)""# }
        .joined(separator: ", ")

    private static func notFound(_ period: String, _ unit: String) -> Abort {
        Abort(.notFound, reason: "\(period) 没有 \(unit) 的考核表")
    }
}
