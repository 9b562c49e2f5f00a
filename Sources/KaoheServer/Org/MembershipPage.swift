import Fluent
import KaoheCore
import Vapor

/// 组织关系 on a member's page: their stretches, and the form that records a move, 转出 or removal.
struct MembershipSection: Encodable {
    struct Line: Encodable {
        let group: String
        let from: String
        let to: String
        let began: String
        let ended: String?
        let note: String?
    }

    let lines: [Line]
    /// The day they left the bureau's organisation; then no form is offered.
    let left: String?
    let groups: [SelectOption]
    let actions: [SelectOption]
    let typed: Memberships.Change
    let errors: [String: String]
    let problem: String?

    static func make(
        of member: Unit, typed: Memberships.Change = .init(), errors: [String: String] = [:], problem: String? = nil,
        on db: any Database
    ) async throws -> MembershipSection {
        let stretches = try await Memberships.stretches(of: member, on: db)
        let allGroups = try await Unit.query(on: db).filter(\.$kind == .group).sort(\.$sortOrder).sort(\.$code).all()
        let names = Dictionary(allGroups.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let chosen = typed.action ?? Membership.Action.move.rawValue
        return MembershipSection(
            lines: stretches.map { stretch in
                Line(
                    group: names[stretch.groupCode] ?? stretch.groupCode, from: stretch.from ?? "（启用前）",
                    to: stretch.to ?? "至今", began: stretch.beganBy.label, ended: stretch.endedBy?.label,
                    note: stretch.endedNote ?? stretch.beganNote)
            },
            left: member.leftOn,
            groups: allGroups.filter { $0.code != member.parentCode }.map {
                SelectOption(value: $0.code, label: $0.name, selected: $0.code == typed.to)
            },
            actions: [Membership.Action.move, .transferOut, .remove].map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosen)
            },
            typed: typed, errors: errors, problem: problem)
    }
}

/// `POST /admin/org/units/{code}/membership`: the page's way to `Memberships.apply`.
struct MembershipController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("admin", "org", "units", ":code", "membership", use: change)
    }

    func change(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let code = req.parameters.get("code") ?? ""
        guard let member = try await Unit.query(on: req.db).filter(\.$code == code).first(), member.kind == .member
        else { throw Abort(.notFound, reason: "党员 \(code) 不存在") }
        let (typed, refused) = try req.typedForm(Memberships.Change.self)
        do {
            if let refused { throw refused }
            try await Memberships.apply(typed, to: code, by: user.username, today: BureauCalendar.today(), on: req.db)
            return req.redirect(to: .orgUnit(.init(code)), query: ["done": "membership"], fragment: "membership")
        } catch let problem as ValidationProblem {
            return try await OrgAdminController.editPage(
                member,
                membership: .make(
                    of: member, typed: typed, errors: [problem.field: PageFormat.message(problem.rule)], on: req.db),
                status: .unprocessableEntity, on: req)
        } catch let abort as AbortError where abort.status == .conflict {
            let current = try await Unit.query(on: req.db).filter(\.$code == code).first() ?? member
            return try await OrgAdminController.editPage(
                current,
                membership: .make(
                    of: current, typed: typed, problem: "未记录：\(PageFormat.message(abort.reason))", on: req.db),
                status: .conflict, on: req)
        }
    }
}
