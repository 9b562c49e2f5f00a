import Fluent
import KaoheCore
import Vapor

/// 活动台账 in the browser. Reaching it needs a role on the unit or above it (`unitOrAbove`, as the API);
/// recording needs `Ledger.mayRecord`, and a refusal comes back beside the field with the input kept.
struct LedgerController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let ledger = routes.grouped("units", ":unit", "ledger")
        ledger.get(use: page)
        ledger.post(use: record)
        ledger.post(":activity", "withdraw", use: withdraw)
        ledger.post("complete", use: complete)
    }

    func page(req: Request) async throws -> View {
        let unit = try await ActivitiesAPIController.unit(req)
        if unit.kind == .member {
            // A member's record is read by those above them and by the member; a fellow member's role does not reach it.
            let grants = try await Access.roles(of: try req.auth.require(User.self), on: req.db)
            let chain = try await Access.unitAndAncestors(unit.code, on: req.db)
            guard grants.contains(where: { $0.role == .member ? $0.unitCode == unit.code : chain.contains($0.unitCode) }) else {
                throw Abort(.forbidden, reason: "党员本人的活动记录由本人和上级组织查看 (a member's record is theirs and their units')")
            }
        }
        let notice: String? = switch req.query[String.self, at: "done"] {
        case "recorded": "已登记。"
        case "withdrawn": "已撤销该记录，撤销理由已保留。"
        case "complete": "已确认该季度台账记全，考核表将据此建议扣分。"
        default: nil
        }
        return try await req.view.render("ledger", LedgerPage.query(unit, year: try ActivitiesAPIController.year(req), on: req, notice: notice))
    }

    func record(req: Request) async throws -> Response {
        let (user, unit) = try await ActivitiesAPIController.recorder(req)
        let form = try req.content.decode(LedgerPage.Form.self)
        do {
            let activity = try await Ledger.record(form.input, for: unit, actor: user.username, today: BureauCalendar.today(), on: req.db)
            return req.redirect(to: "/units/\(unit.code)/ledger?year=\(activity.date.prefix(4))&done=recorded")
        } catch let problem as ValidationProblem {
            let year = CalendarDay(form.date ?? "")?.year ?? BureauCalendar.today().year
            let page = try await LedgerPage.query(unit, year: year, on: req, form: form,
                                                  errors: [problem.field: PageFormat.message(problem.rule)])
            let response = try await req.view.render("ledger", page).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    struct CompleteForm: Content {
        var quarter: String?
    }

    /// 部分记账 ends: the secretary confirms the quarter's ledger is complete.
    func complete(req: Request) async throws -> Response {
        let (user, unit) = try await ActivitiesAPIController.recorder(req)
        let quarter = try ActivitiesAPIController.quarter(try req.content.decode(CompleteForm.self).quarter)
        try await Ledger.markComplete(unit, quarter: quarter, actor: user.username, on: req.db)
        return req.redirect(to: "/units/\(unit.code)/ledger?year=\(quarter.year)&done=complete#compliance")
    }

    struct WithdrawForm: Content {
        var reason: String?
    }

    func withdraw(req: Request) async throws -> Response {
        let (user, unit) = try await ActivitiesAPIController.recorder(req)
        let id = req.parameters.get("activity", as: UUID.self)
        let reason = try req.content.decode(WithdrawForm.self).reason
        // Back to the year the record belongs to.
        var year = BureauCalendar.today().year
        if let id, let record = try await Activity.find(id, on: req.db), let held = Int(record.date.prefix(4)) { year = held }
        do {
            try await Ledger.withdraw(id, of: unit, reason: reason, actor: user.username, on: req.db)
            return req.redirect(to: "/units/\(unit.code)/ledger?year=\(year)&done=withdrawn#records")
        } catch let problem as ValidationProblem {
            let page = try await LedgerPage.query(unit, year: year, on: req,
                                                  withdrawError: id.map { ($0, PageFormat.message(problem.rule)) })
            let response = try await req.view.render("ledger", page).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }
}
