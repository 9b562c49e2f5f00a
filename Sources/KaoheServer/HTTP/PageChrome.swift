import Fluent
import Vapor

/// What every page's frame shows: its title, who is signed in, the links their roles open, and the
/// CSRF token for the sign-out form.
struct PageChrome: Encodable {
    struct SignedInUser: Encodable {
        let username: String
        let displayName: String
    }

    struct NavLink: Encodable {
        let href: String
        let label: String
    }

    let title: String
    let user: SignedInUser?
    let nav: [NavLink]
    let csrf: String
    /// Why the form this page sent was refused before it was read (`Refusal`), said at the page's top.
    var refusal: String?

    static func make(_ title: String, _ request: Request) async throws -> PageChrome {
        var nav: [NavLink] = []
        let user = request.auth.get(User.self)
        if let user {
            nav.append(NavLink(href: SiteURL.home.path, label: "工作台"))
            nav.append(NavLink(href: SiteURL.periods.path, label: "考核期"))
            nav.append(NavLink(href: SiteURL.rubrics.path, label: "考核细则"))
            let grants = try await Access.roles(of: user, on: request.db)
            // A secretary or group leader keeps the unit's ledger; the bureau reaches a branch's from its sheet.
            if let keeper = grants.first(where: { [.branchSecretary, .groupLeader].contains($0.role) }) {
                nav.append(NavLink(href: SiteURL.ledger(.init(keeper.unitCode)).path, label: "活动台账"))
            }
            // A member held on their own member unit reads their own record there.
            let memberGrants = grants.filter { $0.role == .member }.map(\.unitCode)
            if !memberGrants.isEmpty,
                let own = try await Unit.query(on: request.db).filter(\.$code ~~ memberGrants)
                    .filter(\.$kind == .member).first()
            {
                nav.append(NavLink(href: SiteURL.ledger(.init(own.code)).path, label: "我的活动记录"))
            }
            let roles = Set(grants.filter { $0.unitCode == OrgTree.rootCode }.map(\.role))
            if !roles.isDisjoint(with: Policy.generalBranchRoles) {
                nav.append(NavLink(href: SiteURL.compliance.path, label: "台账对照"))
            }
            if !roles.isDisjoint(with: Policy.generalBranchRoles)
                || grants.contains(where: { $0.role == .branchSecretary })
            {
                nav.append(NavLink(href: SiteURL.vetoes(.init(BureauCalendar.today().year)).path, label: "一票否决"))
            }
            // 年度评选: the general branch, and everyone who rates for a unit, at the first level they may read.
            if let level = Selection.levels.first(where: { Policy.mayReadSelection(of: $0, grants) }) {
                let selection = SiteURL.selection(.init(BureauCalendar.today().year))
                nav.append(
                    NavLink(
                        href: selection.path(query: ["level": level == .branch ? nil : level.rawValue]), label: "年度评选"))
            }
            if !roles.isDisjoint(with: Policy.orgManagers) {
                nav.append(NavLink(href: SiteURL.org.path, label: "组织与人员"))
                nav.append(NavLink(href: SiteURL.users.path, label: "用户与角色"))
            }
            if !roles.isDisjoint(with: Policy.auditReaders) {
                nav.append(NavLink(href: SiteURL.audit.path, label: "审计日志"))
            }
            nav.append(NavLink(href: SiteURL.password.path, label: "修改密码"))
        }
        return PageChrome(
            title: title,
            user: user.map { SignedInUser(username: $0.username, displayName: $0.displayName) },
            nav: nav,
            csrf: CSRF.token(for: request),
            refusal: request.query[String.self, at: "refused"].flatMap(Refusal.init(rawValue:))?.message)
    }
}
