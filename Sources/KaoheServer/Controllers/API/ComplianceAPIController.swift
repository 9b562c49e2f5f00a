import Fluent
import KaoheCore
import Vapor

/// `GET /api/v1/compliance?period=2026Q3` (and `.csv`, `.xlsx`): the ledger against the rubrics, bureau-wide, for
/// the general branch's roles.
struct ComplianceAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("compliance", use: document)
        routes.get("compliance.csv", use: csv)
        routes.get("compliance.xlsx", use: xlsx)
    }

    func document(req: Request) async throws -> [Compliance.UnitLines] {
        try await Self.read(req).document
    }

    func csv(req: Request) async throws -> Response {
        let (quarter, document) = try await Self.read(req)
        return FeedbackAPIController.attachment(CSVExport.data(Compliance.table(document, quarter: quarter)),
                                                filename: "\(quarter.code)台账对照.csv", contentType: "text/csv; charset=utf-8")
    }

    func xlsx(req: Request) async throws -> Response {
        let (quarter, document) = try await Self.read(req)
        return FeedbackAPIController.attachment(
            XLSXWorkbook.data(Compliance.table(document, quarter: quarter)), filename: "\(quarter.code)台账对照.xlsx",
            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    /// The general branch's roles only (403); `?period=` a quarter (422 naming `period`), this quarter when left out.
    static func read(_ req: Request) async throws -> (quarter: Quarter, document: [Compliance.UnitLines]) {
        let user = try req.auth.require(User.self)
        try Policy.requireBureauRole(try await Access.roles(of: user, on: req.db), Policy.generalBranchRoles,
                                     "台账对照由党总支查看 (the general branch's roles read the compliance view)")
        let today = BureauCalendar.today()
        let quarter: Quarter
        if let raw = req.query[String.self, at: "period"], !raw.isEmpty {
            guard let chosen = Quarter(code: raw) else {
                throw ValidationProblem(field: "period", rule: "考核期应写作 2026Q3 (a quarter such as 2026Q3)")
            }
            quarter = chosen
        } else {
            quarter = try await latestPeriod(on: req.db) ?? Quarter(of: today)!
        }
        return (quarter, try await Compliance.document(for: quarter, today: today, on: req.db))
    }

    /// The latest quarter opened, which the view shows unless told otherwise.
    static func latestPeriod(on db: any Database) async throws -> Quarter? {
        let period = try await Period.query(on: db).sort(\.$year, .descending).sort(\.$quarter, .descending).first()
        return period.flatMap { Quarter(year: $0.year, quarter: $0.quarter) }
    }
}
