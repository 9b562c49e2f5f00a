import Fluent
import FluentSQL
import SQLKit
import Vapor

/// Finding the period and the sheet a request names, with the same checks for the API and the pages.
enum SheetLookup {
    static func period(_ req: Request) async throws -> Period {
        let code = req.parameters.get("period") ?? ""
        guard let period = try await req.db.rows(Period.self, """
            SELECT * FROM \(ident: Period.schema) WHERE code = \(bind: code.uppercased())
            """).first else {
            throw Abort(.notFound, reason: "没有考核期 \(code)")
        }
        return period
    }

    /// The sheet, if the caller may see it; another unit's draft is 404, never shown.
    static func visibleSheet(_ req: Request) async throws -> (Period, Assessment, Policy.Viewer) {
        let user = try req.auth.require(User.self)
        // The reader's roles and the unit's chain are read beside the sheet: the address names the unit already.
        async let found = sheet(req)
        async let seen = Policy.viewer(user, sheetUnit: req.parameters.get("unit") ?? "", on: req.db)
        let (period, sheet) = try await found
        let viewer = try await seen
        guard Policy.canSee(sheet, viewer) else { throw notFound(period.code, sheet.unitCode) }
        return (period, sheet, viewer)
    }

    /// The sheet for reading only: a published sheet is every signed-in person's (办法 五), so no roles or chain are
    /// read for it; any other is checked as `visibleSheet` checks it.
    static func readableSheet(_ req: Request) async throws -> (Period, Assessment) {
        let user = try req.auth.require(User.self)
        let (period, sheet) = try await sheet(req)
        if sheet.state != .published {
            guard Policy.canSee(sheet, try await Policy.viewer(user, sheetUnit: sheet.unitCode, on: req.db)) else {
                throw notFound(period.code, sheet.unitCode)
            }
        }
        return (period, sheet)
    }

    /// The period and the sheet the address names, in one hand-written query on their unique keys (the period's columns
    /// under `p_`): every sheet route begins here, and on PostgreSQL each query is parsed and planned anew. The period
    /// missing is told from the sheet missing by the join's row.
    private static func sheet(_ req: Request) async throws -> (Period, Assessment) {
        let unit = req.parameters.get("unit") ?? ""
        let code = req.parameters.get("period") ?? ""
        guard let row = try await req.db.sql.raw("""
            SELECT a.*, \(unsafeRaw: periodColumns) FROM \(ident: Period.schema) p
            LEFT JOIN \(ident: Assessment.schema) a ON a.period_id = p.id AND a.unit_code = \(bind: unit)
            WHERE p.code = \(bind: code.uppercased())
            """).first() else {
            throw Abort(.notFound, reason: "没有考核期 \(code)")
        }
        let period = try PrefixedRow(row, prefix: "p_").decode(fluentModel: Period.self)
        guard try !row.decodeNil(column: "id") else { throw notFound(period.code, unit) }
        let sheet = try row.decode(fluentModel: Assessment.self)
        sheet.$period.value = period
        return (period, sheet)
    }

    /// The period's columns as `p.code AS p_code`, …, from its model's own list.
    private static let periodColumns = Period.keys.map { #"p."\#($0.description)" AS "p_\#($0.description)""# }
        .joined(separator: ", ")

    private static func notFound(_ period: String, _ unit: String) -> Abort {
        Abort(.notFound, reason: "\(period) 没有 \(unit) 的考核表")
    }
}
