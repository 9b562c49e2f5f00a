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
    }

    func members(req: Request) async throws -> [Member] {
        // Read like the unit's ledger (its route rule, then a member's role reads only its own unit's profile).
        let code = try await LedgerRequest.readable(req).code
        let ordered = OrgTree.treeOrder(try await Unit.query(on: req.db).sort(\.$sortOrder).sort(\.$code).all())
        var below: Set<String> = [code]
        for unit in ordered where unit.parentCode.map(below.contains) == true {
            below.insert(unit.code)
        }
        return ordered.filter { $0.kind == .member && below.contains($0.code) }.map {
            Member(
                code: $0.code, name: $0.name, group: $0.parentCode ?? "", position: $0.position,
                joinedOn: $0.joinedOn, midLevel: $0.holdsMidLevelPost)
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
