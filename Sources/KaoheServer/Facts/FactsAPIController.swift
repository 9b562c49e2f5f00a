import Fluent
import KaoheCore
import Vapor

/// 年度评议与测评 in the API (api.md "The organisation over time", yearly facts): read by the unit and those above
/// it (`unitOrAbove`), written by whom `Policy.mayRecordFact` names for each kind.
struct FactsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let year = routes.grouped("units", ":unit", "facts", ":year")
        year.get(use: read)
        year.put(use: save)
        year.post("findings", use: addFinding)
        year.delete("findings", ":id", use: removeFinding)
    }

    /// `GET /api/v1/units/{unit}/facts/{year}`: the unit's rate and findings, its members' results.
    func read(req: Request) async throws -> YearFacts.Book {
        let unit = try await LedgerRequest.unit(req)
        return try await YearFacts.book(of: unit, year: try FactsRequest.year(req), on: req.db)
    }

    /// `PUT …/facts/{year}` `{satisfaction?: {rate, day?, note?} | null, appraisals?: {member: result | null},
    /// reviews?: {…}}`: what is given is kept, `null` clears, the rest stays; all or nothing.
    func save(req: Request) async throws -> YearFacts.Book {
        let unit = try await FactsRequest.recorder(req, of: [.appraisal, .review, .satisfaction])
        let year = try FactsRequest.year(req)
        let changes = try req.content.decode(YearFacts.Changes.self)
        try await YearFacts.save(
            changes, on: unit, year: year, by: try req.auth.require(User.self), today: BureauCalendar.today(),
            on: req.db)
        return try await YearFacts.book(of: unit, year: year, on: req.db)
    }

    /// `POST …/facts/{year}/findings` `{day, kind, note?}`: one 内审 finding at a branch, 201.
    func addFinding(req: Request) async throws -> Response {
        let unit = try await FactsRequest.recorder(req, of: [.finding])
        let year = try FactsRequest.year(req)
        let fact = try await YearFacts.addFinding(
            try req.content.decode(YearFacts.FindingInput.self), on: unit, year: year,
            by: try req.auth.require(User.self), today: BureauCalendar.today(), on: req.db)
        let book = try await YearFacts.book(of: unit, year: year, on: req.db)
        guard let finding = book.findings.first(where: { $0.id == fact.id }) else { throw Abort(.internalServerError) }
        return try await finding.encodeResponse(status: .created, for: req)
    }

    /// `DELETE …/facts/{year}/findings/{id}`: a finding recorded by mistake, 204.
    func removeFinding(req: Request) async throws -> HTTPStatus {
        let unit = try await FactsRequest.recorder(req, of: [.finding])
        try await YearFacts.removeFinding(
            req.parameters.get("id", as: UUID.self), on: unit, by: try req.auth.require(User.self), on: req.db)
        return .noContent
    }
}

/// What a facts route reads of its request, the same for the API and the page.
enum FactsRequest {
    /// The route's unit, when the signed-in user records one of `kinds` on it (`Policy.mayRecordFact`); 403 before
    /// anything is read of the body otherwise. The service asks again for each kind it changes.
    static func recorder(_ req: Request, of kinds: Set<YearFact.Kind>) async throws -> Unit {
        let unit = try await LedgerRequest.unit(req)
        let may = try await YearFacts.recordable(on: unit, by: try req.auth.require(User.self), on: req.db)
        guard !may.isDisjoint(with: kinds) else {
            throw Abort(.forbidden, reason: "年度评议与测评由组织委员、本支部书记登记 (not a recorder of these facts)")
        }
        return unit
    }

    /// The year in the path (`/facts/2026`) or the query (`?year=2026`), this year when the query leaves it out.
    static func year(_ req: Request) throws -> Int {
        try LedgerRequest.year(req.parameters.get("year") ?? req.written("year"))
    }
}
