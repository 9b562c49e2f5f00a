import Fluent
import Vapor

/// Finding the period and the sheet a request names, with the same checks for the API and the pages.
enum SheetLookup {
    static func period(_ req: Request) async throws -> Period {
        let code = req.parameters.get("period") ?? ""
        guard let period = try await Period.query(on: req.db).filter(\.$code == code.uppercased()).first() else {
            throw Abort(.notFound, reason: "没有考核期 \(code)")
        }
        return period
    }

    /// The sheet, if the caller may see it; another unit's draft is 404, never shown.
    static func visibleSheet(_ req: Request) async throws -> (Period, Assessment, Policy.Viewer) {
        let user = try req.auth.require(User.self)
        let (period, sheet) = try await sheet(req)
        let viewer = try await Policy.viewer(user, sheetUnit: sheet.unitCode, on: req.db)
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

    /// The period and the sheet the address names, read together in one query; the period alone is read again
    /// only to say which of the two is missing.
    private static func sheet(_ req: Request) async throws -> (Period, Assessment) {
        let code = (req.parameters.get("period") ?? "").uppercased()
        let unit = req.parameters.get("unit") ?? ""
        if let sheet = try await Assessment.query(on: req.db).join(parent: \.$period)
            .filter(Period.self, \.$code == code).filter(\.$unitCode == unit).first() {
            let period = try sheet.joined(Period.self)
            sheet.$period.value = period
            return (period, sheet)
        }
        throw notFound(try await period(req).code, unit)
    }

    private static func notFound(_ period: String, _ unit: String) -> Abort {
        Abort(.notFound, reason: "\(period) 没有 \(unit) 的考核表")
    }
}
