import Fluent
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

    /// The period and the sheet the address names, each by a hand-written query on its unique key, side by side (the
    /// sheet finds its period by code itself): the two cost less than one join through Fluent's query builder, and
    /// the missing one is known without a third.
    private static func sheet(_ req: Request) async throws -> (Period, Assessment) {
        let unit = req.parameters.get("unit") ?? ""
        let code = (req.parameters.get("period") ?? "").uppercased()
        async let periodRead = period(req)
        async let sheetRead = req.db.rows(Assessment.self, """
            SELECT * FROM \(ident: Assessment.schema)
            WHERE period_id = (SELECT id FROM \(ident: Period.schema) WHERE code = \(bind: code)) AND unit_code = \(bind: unit)
            """)
        let period = try await periodRead
        guard let sheet = try await sheetRead.first else {
            throw notFound(period.code, unit)
        }
        sheet.$period.value = period
        return (period, sheet)
    }

    private static func notFound(_ period: String, _ unit: String) -> Abort {
        Abort(.notFound, reason: "\(period) 没有 \(unit) 的考核表")
    }
}
