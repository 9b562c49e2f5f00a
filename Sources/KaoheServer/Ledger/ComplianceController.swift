import KaoheCore
import Vapor

/// 台账对照 in the browser, with the API's exports and the organizer's 台账启用日; the roles are checked by
/// `Compliance.requested` and `LedgerStart.set`.
struct ComplianceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.compliance, use: page)
        routes.get(.complianceCSV, use: Compliance.csv)
        routes.get(.complianceXLSX, use: Compliance.xlsx)
        routes.post("compliance", "ledger-start", use: setLedgerStart)
    }

    func page(req: Request) async throws -> View {
        let notice = req.query[String.self, at: "done"] == "ledger-start" ? "已保存台账启用日，并记入审计日志。" : nil
        return try await req.view.render(
            "compliance", CompliancePage.query(req, ledgerStart: notice.map { .init(notice: $0) }))
    }

    struct LedgerStartForm: Content {
        var startsOn: String?
        var period: String?
    }

    /// The organizer sets (or, left empty, clears) 台账启用日; a day that cannot be used comes back beside the field.
    func setLedgerStart(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        try await Policy.requireLedgerStarter(user, on: req.db)
        let (form, refused) = try req.typedForm(LedgerStartForm.self)
        let period = form.period.flatMap(Quarter.init(code:))?.code
        do {
            if let refused { throw refused }
            let day = try LedgerStart.parse(form.startsOn, today: BureauCalendar.today())
            try await LedgerStart.set(day, by: user, on: req.db)
            return req.redirect(
                to: .compliance, query: ["period": period, "done": "ledger-start"], fragment: "ledger-start")
        } catch let problem as ValidationProblem {
            let typed = CompliancePage.LedgerStartForm(
                startsOn: form.startsOn, error: PageFormat.message(problem.rule))
            let response = try await req.view.render("compliance", CompliancePage.query(req, ledgerStart: typed))
                .encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }
}
