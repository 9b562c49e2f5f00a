import Fluent
import KaoheCore
import Vapor

/// 更名、调整隶属、撤销 on a branch's or group's page: the forms that reach `UnitChanges`, and what was typed when one
/// was refused.
struct UnitChangeSection: Encodable {
    /// What the retirement form sends.
    struct Ending: Content {
        var date: String?
        var reason: String?
    }

    let names: [UnitHistoryAPIController.History.Name]
    /// The branches a group may move to.
    let branches: [SelectOption]?
    let typed: UnitChanges.Change
    let ending: Ending
    let errors: [String: String]
    let problem: String?
    let left: String?

    static func make(
        of unit: Unit, typed: UnitChanges.Change = .init(), ending: Ending = .init(), errors: [String: String] = [:],
        problem: String? = nil, on db: any Database
    ) async throws -> UnitChangeSection {
        let branches =
            unit.kind == .group
            ? try await Unit.query(on: db).filter(\.$kind == .branch).filter(\.$leftOn == nil)
                .filter(\.$code != unit.parentCode ?? "").sort(\.$sortOrder).sort(\.$code).all()
                .map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == typed.parent) } : nil
        return UnitChangeSection(
            names: try await UnitChanges.names(of: unit, on: db), branches: branches, typed: typed, ending: ending,
            errors: errors, problem: problem, left: unit.leftOn)
    }
}

/// `POST /admin/org/units/{code}/change` and `…/end`: the page's way to `UnitChanges.apply` and `.end`.
struct UnitChangeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("admin", "org", "units", ":code", "change", use: change)
        routes.post("admin", "org", "units", ":code", "end", use: end)
    }

    func change(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let unit = try await unit(req)
        var (typed, refused) = try req.typedForm(UnitChanges.Change.self)
        // An empty select or box on the page is "no change" of that part.
        if typed.parent?.isEmpty == true { typed.parent = nil }
        if typed.name?.trimmingCharacters(in: .whitespaces).isEmpty == true { typed.name = nil }
        return try await answer(unit, req, typed: typed) {
            if let refused { throw refused }
            try await UnitChanges.apply(
                typed, to: unit.code, by: user.username, today: BureauCalendar.today(), on: req.db)
            return req.redirect(to: .orgUnit(.init(unit.code)), query: ["done": "change"], fragment: "change")
        }
    }

    func end(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let unit = try await unit(req)
        let (ending, refused) = try req.typedForm(UnitChangeSection.Ending.self)
        return try await answer(unit, req, ending: ending, retiring: true) {
            if let refused { throw refused }
            let date = ending.date?.isEmpty == false ? ending.date : nil
            switch try await UnitChanges.end(
                unit.code, date: date, reason: ending.reason, by: user.username, today: BureauCalendar.today(),
                on: req.db)
            {
            case .removed: return req.redirect(to: .org, query: ["done": "removed"])
            case .retired: return req.redirect(to: .orgUnit(.init(unit.code)), query: ["done": "retired"])
            }
        }
    }

    /// The page again with the refusal beside its field (422) or at the top (409), what was typed kept.
    private func answer(
        _ unit: Unit, _ req: Request, typed: UnitChanges.Change = .init(), ending: UnitChangeSection.Ending = .init(),
        retiring: Bool = false, _ act: () async throws -> Response
    ) async throws -> Response {
        do {
            return try await act()
        } catch let problem as ValidationProblem {
            // The retirement form's fields are its own: endDate, endReason.
            let field = retiring ? "end" + problem.field.capitalized : problem.field
            return try await OrgAdminController.editPage(
                unit, membership: nil,
                change: .make(
                    of: unit, typed: typed, ending: ending, errors: [field: PageFormat.message(problem.rule)],
                    on: req.db), status: .unprocessableEntity, on: req)
        } catch let abort as AbortError where abort.status == .conflict {
            let current = try await Unit.query(on: req.db).filter(\.$code == unit.code).first() ?? unit
            return try await OrgAdminController.editPage(
                current, membership: nil,
                change: .make(
                    of: current, typed: typed, ending: ending, problem: "未办理：\(PageFormat.message(abort.reason))",
                    on: req.db), status: .conflict, on: req)
        }
    }

    private func unit(_ req: Request) async throws -> Unit {
        let code = req.parameters.get("code") ?? ""
        guard let unit = try await Unit.query(on: req.db).filter(\.$code == code).first(), unit.kind != .general
        else { throw Abort(.notFound, reason: "组织 \(code) 不存在") }
        return unit
    }
}
