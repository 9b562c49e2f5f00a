import Fluent
import KaoheCore
import Vapor

/// `GET /api/v1/compliance?period=2026Q3` (and `.csv`, `.xlsx`): the ledger against the rubrics, bureau-wide, for
/// the general branch's roles.
struct ComplianceAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("compliance", use: document)
        routes.get("compliance.csv", use: Compliance.csv)
        routes.get("compliance.xlsx", use: Compliance.xlsx)
    }

    func document(req: Request) async throws -> [Compliance.UnitLines] {
        try await Compliance.requested(req).document
    }

}
