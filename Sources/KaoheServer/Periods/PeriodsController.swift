import Fluent
import KaoheCore
import Vapor

/// 考核期: the quarters, the organizer's form to open one (`Sheets.open`), and each quarter's dashboard.
struct PeriodsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.periods, use: list)
        routes.post("periods", use: open)
        routes.get(.period(.key), use: dashboard)
        routes.post("periods", ":period", "deadlines", use: changeDeadlines)
        routes.post("periods", ":period", "withdraw", use: withdraw)
    }

    func list(req: Request) async throws -> View {
        try await req.view.render("periods", PeriodsPage.query(on: req))
    }

    func open(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        try await Policy.requirePeriodOpener(user, on: req.db)
        let form = try req.content.decode(PeriodsPage.OpenForm.self)
        let code = EntryForm.text(form.quarter) ?? ""
        guard let quarter = Quarter(code: code) else {
            let message = code.isEmpty ? "请填写季度，如 2026Q4" : "应为“年份Q季度”，如 2026Q4"
            return try await refuse(req, form, ["quarter": message])
        }
        let installed = try await PeriodsPage.branchRubrics(on: req.db).map(\.key)
        guard let rubric = EntryForm.text(form.rubric) ?? installed.first, installed.contains(rubric) else {
            return try await refuse(
                req, form, ["rubric": installed.isEmpty ? "尚无考核党支部的细则，请先在“考核细则”中安装" : "请选择已安装的党支部细则"])
        }
        do {
            let deadlines = try SheetDeadlines.Chosen(
                selfDeadline: form.selfDeadline, panelDeadline: form.panelDeadline)
            let period = try await Sheets.open(
                quarter, branchRubricKey: rubric, deadlines: deadlines, actor: user.username, on: req.db)
            return req.redirect(to: .period(.init(period.code)))
        } catch let problem as Sheets.Problem {
            return try await refuse(req, form, ["quarter": problem.description])
        } catch let problem as ValidationProblem {
            return try await refuse(req, form, [problem.field: PageFormat.message(problem.rule)])
        }
    }

    func dashboard(req: Request) async throws -> View {
        let period = try await SheetLookup.period(req)
        let done = req.query[String.self, at: "done"]
        let changed = done == "deadlines" ? "已修改截止日期，修改理由已记入审计日志。" : nil
        var notice: String?
        // A step taken from the board's row: what was done to which unit's sheet, and who acts next.
        if let action = done.flatMap(WorkflowAction.init(rawValue:)), let unit = req.query[String.self, at: "unit"] {
            let name = try await Unit.names(of: [unit], on: req.db)[unit] ?? unit
            notice = "\(name)：已\(action.label)。" + SheetController.next(after: action)
        }
        return try await req.view.render(
            "period", PeriodDashboardPage.query(period, on: req, changes: .init(notice: changed), notice: notice))
    }

    struct ChangeForm: Content {
        var selfDeadline: String?
        var panelDeadline: String?
        var reason: String?
    }

    /// The organizer moves the branches' deadlines, with a reason; a refusal comes back beside its field.
    func changeDeadlines(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        try await Policy.requirePeriodOpener(user, on: req.db)
        let period = try await SheetLookup.period(req)
        let form = try req.content.decode(ChangeForm.self)
        do {
            try await PeriodChanges.changeDeadlines(
                of: period, selfDeadline: form.selfDeadline, panelDeadline: form.panelDeadline, reason: form.reason,
                by: user, on: req.db)
            return req.redirect(to: .period(.init(period.code)), query: ["done": "deadlines"], fragment: "changes")
        } catch let problem as ValidationProblem {
            let changes = PeriodDashboardPage.Changes(
                typed: (form.selfDeadline, form.panelDeadline, form.reason), problem: problem)
            return try await refused(period, changes, status: .unprocessableEntity, on: req)
        }
    }

    /// The organizer withdraws a quarter nobody has worked in; with work in it, the page says what there is.
    func withdraw(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        try await Policy.requirePeriodOpener(user, on: req.db)
        let period = try await SheetLookup.period(req)
        let form = try req.content.decode(ChangeForm.self)
        do {
            try await PeriodChanges.withdraw(period, reason: form.reason, by: user, on: req.db)
            return req.redirect(to: .periods, query: ["done": "withdrawn"])
        } catch let problem as ValidationProblem {
            var changes = PeriodDashboardPage.Changes()
            changes.withdrawError = PageFormat.message(problem.rule)
            return try await refused(period, changes, status: .unprocessableEntity, on: req)
        } catch let abort as AbortError where abort.status == .conflict {
            var changes = PeriodDashboardPage.Changes()
            changes.withdrawError = PageFormat.message(abort.reason)
            return try await refused(period, changes, status: .conflict, on: req)
        }
    }

    private func refused(
        _ period: Period, _ changes: PeriodDashboardPage.Changes, status: HTTPStatus, on req: Request
    ) async throws -> Response {
        let response = try await req.view.render("period", PeriodDashboardPage.query(period, on: req, changes: changes))
            .encodeResponse(for: req)
        response.status = status
        return response
    }

    private func refuse(_ req: Request, _ form: PeriodsPage.OpenForm, _ errors: [String: String]) async throws
        -> Response
    {
        let response = try await req.view.render("periods", PeriodsPage.query(on: req, form: form, errors: errors))
            .encodeResponse(for: req)
        response.status = .unprocessableEntity
        return response
    }
}
