import Fluent
import KaoheCore
import Vapor

/// 扣奖 (办法 七(一)) as `contracts/api.md` ("The year") fixes it: the organizer sets the bases; the general
/// branch's roles read the sheet once the quarter is published, and export it for the finance office.
struct PenaltiesAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let period = routes.grouped("periods", ":period")
        period.put("penalties", "bases", use: setBases)
        period.get("penalties", use: document)
        period.get("penalties.csv", use: Penalties.csv)
        period.get("penalties.xlsx", use: Penalties.xlsx)
    }

    struct BasesBody: Content {
        struct Line: Content {
            let unit: String
            let amount: AmountText
        }
        let bases: [Line]
    }

    func setBases(req: Request) async throws -> Penalties.Document {
        let user = try req.auth.require(User.self)
        try await Policy.requirePenaltyBaseSetter(user, on: req.db)  // before the body is read
        let period = try await SheetLookup.period(req)
        let body = try req.content.decode(BasesBody.self)
        try await Penalties.setBases(
            body.bases.map { .init(unit: $0.unit, amount: $0.amount.text) }, of: period, by: user, on: req.db)
        return try await Penalties.document(of: period, on: req.db)
    }

    func document(req: Request) async throws -> Penalties.Document {
        try await Penalties.publishedDocument(req)
    }
}
