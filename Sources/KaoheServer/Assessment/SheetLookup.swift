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
        let period = try await period(req)
        let unit = req.parameters.get("unit") ?? ""
        guard let sheet = try await Assessment.query(on: req.db).filter(\.$period.$id == period.requireID())
            .filter(\.$unitCode == unit).first()
        else { throw Abort(.notFound, reason: "\(period.code) 没有 \(unit) 的考核表") }
        let viewer = try await Policy.viewer(user, sheetUnit: unit, on: req.db)
        guard Policy.canSee(sheet, viewer) else {
            throw Abort(.notFound, reason: "\(period.code) 没有 \(unit) 的考核表")
        }
        return (period, sheet, viewer)
    }
}
