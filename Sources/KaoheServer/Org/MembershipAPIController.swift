import Fluent
import KaoheCore
import Vapor

/// `POST /api/v1/units/{member}/membership`: a move, 转出 or removal, by those who keep the organisation.
struct MembershipAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("units", ":unit", "membership", use: change)
    }

    func change(req: Request) async throws -> UnitHistoryAPIController.History {
        let code = req.parameters.get("unit") ?? ""
        let user = try req.auth.require(User.self)
        try await Memberships.apply(
            try req.content.decode(Memberships.Change.self), to: code, by: user.username,
            today: BureauCalendar.today(), on: req.db)
        guard let member = try await Unit.query(on: req.db).filter(\.$code == code).first() else {
            throw Abort(.notFound)
        }
        return try await UnitHistoryAPIController.history(of: member, on: req.db)
    }
}

/// `GET /api/v1/units/{unit}/history`: a unit's names, memberships and offices, for those who read its ledger.
struct UnitHistoryAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("units", ":unit", "history", use: read)
    }

    struct History: Content {
        struct Name: Content {
            let name: String
            let from: String?
            let to: String?
        }
        struct Office: Content {
            let role: String
            let user: String
            let from: String?
            let to: String?
        }
        let names: [Name]
        let memberships: [Memberships.Stretch]
        let offices: [Office]
    }

    func read(req: Request) async throws -> History {
        try await Self.history(of: try await LedgerRequest.readable(req), on: req.db)
    }

    /// A member's own stretches; for a group or branch, every stretch in it (or in its groups), oldest first.
    static func history(of unit: Unit, on db: any Database) async throws -> History {
        let stretches: [Membership]
        switch unit.kind {
        case .member:
            stretches = try await Memberships.stretches(of: unit, on: db)
        case .group, .branch:
            let groups = unit.kind == .group ? [unit.code] : try await Unit.groups(of: unit.code, on: db).map(\.code)
            let recorded = try await Membership.query(on: db).filter(\.$groupCode ~~ groups).all()
            let withHistory = Set(recorded.map(\.memberCode))
            let since = try await Unit.query(on: db).filter(\.$parentCode ~~ groups).filter(\.$kind == .member).all()
                .filter { !withHistory.contains($0.code) }
                .map { Membership(member: $0.code, group: $0.parentCode ?? "", from: nil, beganBy: .founding) }
            stretches = (recorded + since).sorted { ($0.from ?? "", $0.memberCode) < ($1.from ?? "", $1.memberCode) }
        case .general:
            stretches = []
        }
        let codes = Set(stretches.flatMap { [$0.memberCode, $0.groupCode] })
        let names = try await Unit.names(of: codes, on: db)
        let grants = try await RoleGrant.query(on: db).filter(\.$unitCode == unit.code).with(\.$user).all()
        return History(
            names: [.init(name: unit.name, from: nil, to: nil)],
            memberships: stretches.map { stretch in
                let shown = unit.kind == .member ? stretch.groupCode : stretch.memberCode
                return Memberships.Stretch(
                    unit: shown, name: names[shown] ?? shown, from: stretch.from, to: stretch.to,
                    action: stretch.beganBy.rawValue, ended: stretch.endedBy?.rawValue,
                    note: stretch.endedNote ?? stretch.beganNote)
            },
            offices: grants.map { .init(role: $0.role.rawValue, user: $0.user.username, from: nil, to: nil) })
    }
}
