import Fluent
import KaoheCore
import Vapor

/// `POST /api/v1/units/{member}/membership`: a move, 转出 or removal, and `POST /api/v1/units`: a unit or member
/// added from a date (a 转入 with its origin), by those who keep the organisation.
struct MembershipAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("units", ":unit", "membership", use: change)
        routes.post("units", use: add)
    }

    struct NewUnit: Content {
        var code: String?
        var name: String?
        var kind: String?
        var parent: String?
        /// The first day it counts: a member's first day in the group, a unit's first day in the ledger.
        var from: String?
        /// A member's 转入: the organisation they came from.
        var transferredFrom: String?
        var position: String?
        var joinedOn: String?
    }

    func add(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let input = try req.content.decode(NewUnit.self)
        guard let kind = input.kind.flatMap(Unit.Kind.init(rawValue:)), kind != .general else {
            throw ValidationProblem(field: "kind", rule: "应为 branch、group 或 member 之一 (one of branch, group, member)")
        }
        let name = (input.name ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw ValidationProblem(field: "name", rule: "名称不能为空 (required)") }
        let from = try input.from.map { try Memberships.day($0, today: BureauCalendar.today(), field: "from") }
        let origin = input.transferredFrom?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let origin {
            guard kind == .member else {
                throw ValidationProblem(field: "transferredFrom", rule: "只有党员可以转入 (members only)")
            }
            guard !origin.isEmpty, origin.count <= 200 else {
                throw ValidationProblem(field: "transferredFrom", rule: "请写明原所在组织，不超过 200 字 (1–200 characters)")
            }
            guard from != nil else {
                throw ValidationProblem(field: "from", rule: "转入须写明转入日期 (required for a transfer in)")
            }
        }
        if let joined = input.joinedOn, !joined.isEmpty, !OrgImport.isDate(joined) {
            throw ValidationProblem(field: "joinedOn", rule: OrgImport.dateRule(joined))
        }
        let unit = Unit(
            code: (input.code ?? "").trimmingCharacters(in: .whitespaces), name: name, kind: kind,
            parentCode: input.parent?.trimmingCharacters(in: .whitespaces), position: input.position,
            joinedOn: input.joinedOn?.isEmpty == true ? nil : input.joinedOn)
        do {
            try await Memberships.add(unit, from: from, transferredFrom: origin, actor: user.username, on: req.db)
        } catch let problem as OrgTree.Problem {
            // "parent: …" → 422 naming the field, as every other refusal.
            let parts = problem.description.split(separator: ":", maxSplits: 1)
            throw ValidationProblem(
                field: parts.count == 2 ? String(parts[0]) : "code",
                rule: String(parts.last ?? "").trimmingCharacters(in: .whitespaces))
        }
        return try await OrgTree.record(unit).encodeResponse(status: .created, for: req)
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
            // A branch's groups include those that have moved away since.
            let groups =
                unit.kind == .group
                ? [unit.code] : Array(Set(try await UnitChanges.stays(in: unit.code, on: db).map(\.group))).sorted()
            stretches = try await Memberships.stretches(inGroups: groups, on: db)
                .sorted { ($0.from ?? "", $0.memberCode) < ($1.from ?? "", $1.memberCode) }
        case .general:
            stretches = []
        }
        let codes = Set(stretches.flatMap { [$0.memberCode, $0.groupCode] })
        let names = try await Unit.names(of: codes, on: db)
        let grants = try await RoleGrant.query(on: db).filter(\.$unitCode == unit.code).with(\.$user).all()
        return History(
            names: try await UnitChanges.names(of: unit, on: db),
            memberships: stretches.map { stretch in
                let shown = unit.kind == .member ? stretch.groupCode : stretch.memberCode
                return Memberships.Stretch(
                    unit: shown, name: names[shown] ?? shown, from: stretch.from, to: stretch.to,
                    action: stretch.beganBy.rawValue, ended: stretch.endedBy?.rawValue,
                    note: stretch.endedNote ?? stretch.beganNote)
            },
            offices: grants.sorted { ($0.from ?? "", $0.role.rawValue) < ($1.from ?? "", $1.role.rawValue) }.map {
                .init(role: $0.role.rawValue, user: $0.user.username, from: $0.from, to: $0.to)
            })
    }
}
