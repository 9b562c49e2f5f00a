import Fluent
import Vapor

/// `GET /api/v1/units/{unit}/members`: the party members (党员) under a unit, for the roles on it and above it.
struct UnitMembersAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("units", ":unit", "members", use: members)
    }

    struct Member: Content {
        let code: String
        let name: String
        let group: String
        let position: String?
        let joinedOn: String?
        let midLevel: Bool
        /// 局党组成员 (细则 6.3).
        let leadership: Bool
    }

    func members(req: Request) async throws -> [Member] {
        // Read like the unit's ledger (its route rule, then a member's role reads only its own unit's profile).
        let code = try await LedgerRequest.readable(req).code
        let ordered = OrgTree.treeOrder(try await Unit.query(on: req.db).sort(\.$sortOrder).sort(\.$code).all())
        var below: Set<String> = [code]
        for unit in ordered where unit.parentCode.map(below.contains) == true {
            below.insert(unit.code)
        }
        func member(_ unit: Unit, in group: String?) -> Member {
            Member(
                code: unit.code, name: unit.name, group: group ?? unit.parentCode ?? "", position: unit.position,
                joinedOn: unit.joinedOn, midLevel: unit.holdsMidLevelPost,
                leadership: unit.inLeadershipGroup == true)
        }
        guard let on = req.query[String.self, at: "on"] else {
            return ordered.filter { $0.kind == .member && $0.leftOn == nil && below.contains($0.code) }.map {
                member($0, in: nil)
            }
        }
        // The roster of that day: who sat in the unit's groups then, wherever they are now.
        let day = try Memberships.day(on, today: BureauCalendar.today(), field: "on")
        let units = Dictionary(ordered.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        if let own = units[code], own.kind == .member {
            let date = day.description
            let stretch = try await Memberships.stretches(of: own, on: req.db)
                .first { ($0.from ?? "") <= date && ($0.to ?? "9999-12-31") >= date }
            return stretch.map { [member(own, in: $0.groupCode)] } ?? []
        }
        // A branch's groups on that day, including one that has moved away since.
        let rosters =
            units[code]?.kind == .general
            ? try await Memberships.rosters(
                of: ordered.filter { $0.kind == .group && below.contains($0.code) }.map(\.code), on: req.db)
            : try await Ledger.rosters(of: code, kind: units[code]?.kind, on: req.db)
        let roster = rosters.on(day)
        let groups = ordered.filter { roster[$0.code] != nil }.map(\.code)
        return groups.flatMap { group in
            (roster[group] ?? []).compactMap { units[$0] }
                .sorted { ($0.sortOrder, $0.code) < ($1.sortOrder, $1.code) }
                .map { member($0, in: group) }
        }
    }
}

/// `GET /api/v1/units`: the org tree, root first, each unit after its parent.
struct UnitsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("units", use: list)
    }

    func list(req: Request) async throws -> [OrgTree.UnitRecord] {
        let page = try ListPage(req)
        let units = try await Unit.query(on: req.db).sort(\.$sortOrder).sort(\.$code).all()
        return page.apply(OrgTree.treeOrder(units)).map(OrgTree.record)
    }
}

extension OrgTree {
    /// Depth-first from the root, children in their sort order.
    static func treeOrder(_ units: [Unit]) -> [Unit] {
        let children = Dictionary(grouping: units, by: { $0.parentCode ?? "" })
        var ordered: [Unit] = []
        func visit(_ parent: String) {
            for unit in children[parent] ?? [] {
                ordered.append(unit)
                visit(unit.code)
            }
        }
        visit("")
        return ordered
    }
}
