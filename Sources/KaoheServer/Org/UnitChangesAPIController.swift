import Fluent
import KaoheCore
import Vapor

/// `PATCH /api/v1/units/{unit}`: a rename or a group's move from a day; `DELETE /api/v1/units/{unit}`: a retirement
/// from a day, or the removal of a unit added by mistake. Kept by those who keep the organisation.
struct UnitChangesAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.patch("units", ":unit", use: change)
        routes.delete("units", ":unit", use: end)
    }

    func change(req: Request) async throws -> OrgTree.UnitRecord {
        let user = try req.auth.require(User.self)
        let unit = try await UnitChanges.apply(
            try req.content.decode(UnitChanges.Change.self), to: req.parameters.get("unit") ?? "",
            by: user.username, today: BureauCalendar.today(), on: req.db)
        return OrgTree.record(unit)
    }

    func end(req: Request) async throws -> HTTPStatus {
        let user = try req.auth.require(User.self)
        try await UnitChanges.end(
            req.parameters.get("unit") ?? "", date: req.query[String.self, at: "date"],
            reason: req.query[String.self, at: "reason"], by: user.username, today: BureauCalendar.today(),
            on: req.db)
        return .noContent
    }
}
