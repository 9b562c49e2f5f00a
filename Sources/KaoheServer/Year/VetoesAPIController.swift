import Fluent
import KaoheCore
import Vapor

/// 一票否决 (办法 七(二)) as `contracts/api.md` ("The year") fixes it.
struct VetoesAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let vetoes = routes.grouped("units", ":unit", "vetoes")
        vetoes.post(use: record)
        vetoes.get(use: list)
        vetoes.delete(":id", use: withdraw)
    }

    struct RecordBody: Content {
        let veto: String?
        let date: String?
        let reason: String?
        let evidence: [UUID]?
    }

    func record(req: Request) async throws -> Response {
        let (unit, user) = try await Self.recorder(req)
        let body = try req.content.decode(RecordBody.self)
        let record = try await Vetoes.record(
            .init(veto: body.veto, date: body.date, reason: body.reason, evidence: body.evidence),
            on: unit, by: user, today: BureauCalendar.today(), on: req.db)
        let saved = try await Vetoes.described([record], on: req.db)
        return try await saved[0].encodeResponse(status: .created, for: req)
    }

    func list(req: Request) async throws -> [Vetoes.Record] {
        let unit = try await Self.unit(req)
        try await Self.requireReader(of: unit, req)
        let written = req.written("year")
        let year = written.flatMap { Int($0) }
        guard written == nil || year != nil else {
            throw ValidationProblem(field: "year", rule: "应为年份，如 2026 (a year)")
        }
        return try ListPage(req).apply(try await Vetoes.records(under: unit.code, year: year, on: req.db))
    }

    func withdraw(req: Request) async throws -> HTTPStatus {
        let (unit, user) = try await Self.recorder(req)
        try await Vetoes.withdraw(
            req.parameters.get("id", as: UUID.self), on: unit,
            reason: req.query[String.self, at: "reason"], by: user, on: req.db)
        return .noContent
    }

    static func unit(_ req: Request) async throws -> Unit {
        let code = req.parameters.get("unit") ?? ""
        guard let unit = try await Unit.query(on: req.db).filter(\.$code == code).first() else {
            throw Abort(.notFound, reason: "没有组织 \(code)")
        }
        return unit
    }

    /// The organizer or the approver, on a unit that exists.
    static func recorder(_ req: Request) async throws -> (Unit, User) {
        let user = try req.auth.require(User.self)
        try await Policy.requireVetoRecorder(user, on: req.db)
        return (try await unit(req), user)
    }

    /// The general branch's roles, and the secretary of the unit's branch.
    static func requireReader(of unit: Unit, _ req: Request) async throws {
        let grants = try await Access.roles(of: try req.auth.require(User.self), on: req.db)
        guard try await Policy.mayReadVetoes(of: unit.code, grants: grants, on: req.db) else {
            throw Abort(.forbidden, reason: "一票否决记录由党总支和本支部书记查看")
        }
    }
}
