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

    /// Whole without `?limit=&offset=`, as the contract has it; `&unit=` one branch or group. Only the units of the
    /// window have their ledgers read.
    func document(req: Request) async throws -> Response {
        let quarter = try await Compliance.requestedQuarter(req)
        let window = try ListPage(req)
        let unit = req.query[String.self, at: "unit"].map { $0.trimmingCharacters(in: .whitespaces) }
        let listed = try await Compliance.listed(
            in: quarter, .init(unit: unit?.isEmpty == true ? nil : unit), limit: window.limit, offset: window.offset,
            on: req.db)
        let body = try await Compliance.json(of: listed, quarter: quarter, today: BureauCalendar.today(), on: req.db)
        return Response(
            status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(buffer: body))
    }

}
