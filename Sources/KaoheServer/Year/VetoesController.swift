import Fluent
import KaoheCore
import Vapor

/// 一票否决 in the browser: the year's records, recorded and withdrawn by the organizer or the approver. Every check
/// is `Vetoes`'s, as in the API.
struct VetoesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.vetoes(.key), use: page)
        let year = routes.grouped(SiteURL.vetoes(.key).pathComponents)
        year.post(use: record)
        year.post(":id", "withdraw", use: withdraw)
    }

    func page(req: Request) async throws -> View {
        let (year, _) = try YearRequest.year(req)
        var state = VetoesPage.State(
            notice: req.query[String.self, at: "done"].map { $0 == "withdrawn" ? "已撤销，记录保留。" : "已记录一票否决。" })
        // What the form held comes back with a search for a unit (`?find=`), which carries it along.
        state.form = VetoesPage.Form(
            unit: req.query[String.self, at: "unit"], veto: req.query[String.self, at: "veto"],
            date: req.query[String.self, at: "date"] ?? BureauCalendar.today().description,
            reason: req.query[String.self, at: "reason"], evidence: req.query[[UUID].self, at: "evidence"])
        // Offered from a sheet's entry of the same event: its note is the reason, its files the evidence.
        if let id = req.query[UUID.self, at: "entry"], let entry = try await SheetEntry.find(id, on: req.db) {
            state.form.reason = state.form.reason ?? entry.note
            state.form.evidence = try await Evidence.query(on: req.db).filter(\.$entry.$id == id).all().map {
                try $0.requireID()
            }
        }
        let find = req.query[String.self, at: "find"]?.trimmingCharacters(in: .whitespaces) ?? ""
        return try await req.view.render("vetoes", VetoesPage.query(year: year, on: req, state: state, find: find))
    }

    func record(req: Request) async throws -> Response {
        let (year, _) = try YearRequest.year(req)
        let user = try await Self.recorder(req)
        let form = try req.content.decode(VetoesPage.Form.self)
        do {
            guard let unit = try await Unit.query(on: req.db).filter(\.$code == (form.unit ?? "")).first() else {
                throw ValidationProblem(field: "unit", rule: "请选择组织")
            }
            let record = try await Vetoes.record(
                .init(veto: form.veto, date: form.date, reason: form.reason, evidence: form.evidence),
                on: unit, by: user, today: BureauCalendar.today(), on: req.db)
            return req.redirect(to: .vetoes(.init(record.year)), query: ["done": "recorded"])
        } catch let problem as ValidationProblem {
            let state = VetoesPage.State(form: form, errors: [problem.field: PageFormat.message(problem.rule)])
            let response = try await req.view.render("vetoes", VetoesPage.query(year: year, on: req, state: state))
                .encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    struct WithdrawForm: Content {
        var reason: String?
    }

    func withdraw(req: Request) async throws -> Response {
        let (year, _) = try YearRequest.year(req)
        let user = try await Self.recorder(req)
        let id = req.parameters.get("id", as: UUID.self)
        guard let id, let record = try await VetoRecord.find(id, on: req.db),
            let unit = try await Unit.query(on: req.db).filter(\.$code == record.unitCode).first()
        else {
            throw Abort(.notFound, reason: "没有这条一票否决记录")
        }
        do {
            try await Vetoes.withdraw(
                id, on: unit, reason: try req.content.decode(WithdrawForm.self).reason, by: user, on: req.db)
            return req.redirect(to: .vetoes(.init(year)), query: ["done": "withdrawn"])
        } catch let problem as ValidationProblem {
            return try await refused("未撤销：\(PageFormat.message(problem.rule))", req, year: year)
        } catch let abort as AbortError where abort.status == .conflict {
            // Withdrawn meanwhile (a double click, a colleague): the list as it now stands, saying so.
            return try await refused("未撤销：\(PageFormat.message(abort.reason))", req, year: year, status: .conflict)
        }
    }

    private func refused(
        _ message: String, _ req: Request, year: Int, status: HTTPStatus = .unprocessableEntity
    ) async throws -> Response {
        let state = VetoesPage.State(withdrawError: message)
        let response = try await req.view.render("vetoes", VetoesPage.query(year: year, on: req, state: state))
            .encodeResponse(for: req)
        response.status = status
        return response
    }

    static func recorder(_ req: Request) async throws -> User {
        let user = try req.auth.require(User.self)
        try await Policy.requireVetoRecorder(user, on: req.db)
        return user
    }
}
