import Fluent
import Vapor

/// `GET /api/v1/units`: the org tree, root first, each unit after its parent.
struct UnitsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("units", use: list)
    }

    func list(req: Request) async throws -> [OrgTree.UnitRecord] {
        let units = try await Unit.query(on: req.db).sort(\.$sortOrder).sort(\.$code).all()
        return OrgTree.treeOrder(units).map(OrgTree.record)
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
