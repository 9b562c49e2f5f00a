import Fluent
import SQLKit
import Vapor

/// Who may call a route. Every route is registered under one rule; the role × route matrix test holds
/// the whole table, so a route added without thinking about access fails the suite.
enum AccessRule: Sendable, Equatable {
    /// Anybody, signed in or not (sign-in page, health, API description).
    case anyone
    /// Any signed-in user.
    case signedIn
    /// A signed-in user holding one of these roles on the general branch (the bureau-wide roles).
    case bureauRoles(Set<Role>)
    /// A signed-in user holding any role on the unit named by the route parameter, or on a unit above it.
    /// A role on one branch gives nothing on a sibling.
    case unitOrAbove(parameter: String)
}

/// Enforces an `AccessRule` on the server, whatever the page shows or hides.
struct Authorize: AsyncMiddleware {
    let rule: AccessRule

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.storage[Checked.self] != rule { try await Self.check(rule, request) }
        return try await next.respond(to: request)
    }

    /// The rule `check(_:)` applied already to this request, which its middleware need not apply again.
    private struct Checked: StorageKey { typealias Value = AccessRule }

    /// The route's own rule, for a check that must come before the middleware in front of it reads the body
    /// (`UploadRoute.admit`).
    static func check(_ request: Request) async throws {
        guard let rule = request.route?.userInfo[AccessRule.key] as? AccessRule else { return }
        try await check(rule, request)
        request.storage[Checked.self] = rule
    }

    static func check(_ rule: AccessRule, _ request: Request) async throws {
        switch rule {
        case .anyone:
            break
        case .signedIn:
            _ = try request.auth.require(User.self)
        case .bureauRoles(let allowed):
            let user = try request.auth.require(User.self)
            let roles = try await Access.roles(of: user, on: request.db)
            guard Policy.holdsBureauRole(roles, allowed) else {
                throw Abort(.forbidden, reason: "您的角色无权进行此操作 (your roles do not allow this)")
            }
        case .unitOrAbove(let parameter):
            let user = try request.auth.require(User.self)
            let code = request.parameters.get(parameter) ?? ""
            let chain = try await Access.unitAndAncestors(code, on: request.db)
            guard !chain.isEmpty else { throw Abort(.notFound, reason: "组织 \(code) 不存在") }
            let roles = try await Access.roles(of: user, on: request.db)
            guard roles.contains(where: { chain.contains($0.unitCode) }) else {
                throw Abort(.forbidden, reason: "您在该组织没有角色 (no role on this unit or above it)")
            }
        }
    }
}

enum Access {
    /// One unit code read by a query of the tree.
    private struct CodeRow: Decodable { let code: String }
    /// One unit on the chain above `seed`.
    private struct ChainLink: Decodable { let seed: String; let code: String }

    /// The user's grants in force today, read once per request: the access rule, the sheet's viewer and the page's
    /// navigation all ask, and the authenticated `User` lives as long as the request. An ended office gives nothing.
    static func roles(of user: User, on db: any Database) async throws -> [RoleGrant] {
        if let read = user.$roles.value { return read }
        let grants = try await db.rows(
            RoleGrant.self,
            "SELECT * FROM \(ident: RoleGrant.schema) t WHERE \(inForce(of: SQLBind(try user.requireID())))")
        user.$roles.value = grants
        return grants
    }

    /// The grants in force today of the user `user` names (SQL over `t`, a row of the grants).
    private static func inForce(of user: any SQLExpression) -> SQLQueryString {
        let today = BureauCalendar.today().description
        return """
            t.user_id = \(user) AND (t.from_day IS NULL OR t.from_day <= \(bind: today))
            AND (t.to_day IS NULL OR t.to_day >= \(bind: today))
            """
    }

    /// The roles of the user `user` names as a column of the query that reads the user (the session's or the
    /// token's): every signed-in request asks them, and one query less is a round trip less on PostgreSQL.
    static func rolesColumn(of user: any SQLExpression, on sql: any SQLDatabase) -> SQLQueryString {
        "\(JSONRows.array(of: RoleGrant.self, where: inForce(of: user), on: sql)) AS user_roles"
    }

    /// `user`'s roles from the `rolesColumn` of `row`, kept on it as `roles(of:on:)` keeps what it reads.
    static func readRoles(of user: User, from row: any SQLRow) throws {
        user.$roles.value = try JSONRows.models(RoleGrant.self, "user_roles", of: row)
    }

    /// The unit's code and its ancestors' codes up to the general branch; empty when the unit does not exist.
    /// One query walks up the tree, whatever its size: a route scoped to a unit reads four rows, not the city's tree.
    static func unitAndAncestors(_ code: String, on db: any Database) async throws -> [String] {
        try await chains(of: [code], on: db)[code] ?? []
    }

    /// Each of `codes` with its chain up to the general branch (the unit first), in one query for them all: a
    /// year's vetoes strike their units' chains without the rest of the tree being read. A code that names no unit
    /// is absent.
    static func chains(of codes: some Collection<String>, on db: any Database) async throws -> [String: [String]] {
        guard !codes.isEmpty else { return [:] }
        var chains: [String: [String]] = [:]
        for batch in Array(Set(codes)).chunked(into: 5_000) {
            let seeds = SQLList(batch.map { SQLBind($0) })
            let links = try await db.sql.raw(
                """
                WITH RECURSIVE chain(seed, code, parent_code, depth) AS (
                  SELECT code, code, parent_code, 0 FROM units WHERE code IN (\(seeds))
                  UNION ALL
                  SELECT chain.seed, units.code, units.parent_code, chain.depth + 1 FROM units JOIN chain ON units.code = chain.parent_code
                  WHERE chain.depth < 8
                ) SELECT seed, code FROM chain ORDER BY seed, depth
                """
            ).all(decoding: ChainLink.self)
            for link in links { chains[link.seed, default: []].append(link.code) }
        }
        return chains
    }

    /// `chain(code, parent_code)`: the `seeds` and every unit above them. Each step looks its parent up by code (a
    /// correlated subquery): joined instead, PostgreSQL guessed 500 rows a step and hashed all 56,000 units for the
    /// two it needed (19 ms, against 1).
    private static func chainUp(from seeds: SQLList) -> SQLQueryString {
        """
        WITH RECURSIVE chain(code, parent_code) AS (
          SELECT code, parent_code FROM units WHERE code IN (\(seeds))
          UNION
          SELECT chain.parent_code, (SELECT up.parent_code FROM units up WHERE up.code = chain.parent_code)
          FROM chain WHERE chain.parent_code IS NOT NULL
        )
        """
    }

    /// A unit's code among `chain`'s. PostgreSQL plans `IN (SELECT …)` against a recursive query's guess of its rows
    /// and scanned every unit for the three or four it holds (4 ms at 16,800 units, on every board); an array of
    /// them is looked up by the index (0.2 ms).
    private static func inChain(_ db: any Database) -> SQLQueryString {
        db.sql.dialect.name == "postgresql"
            ? "code = ANY(ARRAY(SELECT code FROM chain))" : "code IN (SELECT code FROM chain)"
    }

    /// The units `codes` name and every unit above them, by code: what a board of some sheets needs for their names,
    /// their order in the tree and whom they are visible to, without reading the rest of the tree.
    static func unitsAndAncestors(of codes: some Collection<String>, on db: any Database) async throws -> [String:
        UnitPlace]
    {
        var units: [String: UnitPlace] = [:]
        for batch in Array(Set(codes)).chunked(into: 5_000) {
            let seeds = SQLList(batch.map { SQLBind($0) })
            // The walk and the rows in one query: a board's page of fifty reads its fifty units and the general branch.
            for row in try await db.sql.raw(
                """
                \(chainUp(from: seeds)) SELECT \(UnitPlace.columns) FROM \(ident: Unit.schema)
                WHERE \(inChain(db))
                """
            ).all() {
                let unit = try UnitPlace(row)
                units[unit.code] = unit
            }
        }
        return units
    }

    /// The units whose sheets roles held on `roots` act on (`acted`: a secretary's branch and its groups; a group
    /// leader's group and its members — `Policy.selfUnit` and `panelUnit` are a sheet's unit or its parent), with the
    /// roots' ancestors up to the general branch (`places`: every chain from an acted-on unit to the root), in one
    /// statement. The 待办 once read the whole subtree's sheets, 56 of them for a branch, to list one or two. Three
    /// lookups by index, not one `OR` of them: PostgreSQL scanned every unit for that (290 ms a start page).
    static func placesActedOn(from roots: some Collection<String>, on db: any Database) async throws
        -> (places: [String: UnitPlace], acted: Set<String>)
    {
        guard !roots.isEmpty else { return ([:], []) }
        let seeds = SQLList(Array(Set(roots)).map { SQLBind($0) })
        var (places, acted): ([String: UnitPlace], Set<String>) = ([:], [])
        for row in try await db.sql.raw(
            """
            \(chainUp(from: seeds))
            SELECT \(UnitPlace.columns), 1 AS acted FROM \(ident: Unit.schema) WHERE code IN (\(seeds))
            UNION ALL
            SELECT \(UnitPlace.columns), 1 AS acted FROM \(ident: Unit.schema) WHERE parent_code IN (\(seeds))
            UNION ALL
            SELECT \(UnitPlace.columns), 0 AS acted FROM \(ident: Unit.schema)
            WHERE \(inChain(db)) AND code NOT IN (\(seeds))
            """
        ).all() {
            let unit = try UnitPlace(row)
            places[unit.code] = unit
            if try row.decode(column: "acted", as: Int.self) == 1 { acted.insert(unit.code) }
        }
        return (places, acted)
    }

    /// The codes of `roots` and of every unit below them: a secretary's branch, its groups and their members.
    static func unitsAndDescendants(of roots: some Collection<String>, on db: any Database) async throws -> Set<String>
    {
        guard !roots.isEmpty else { return [] }
        let seeds = SQLList(Array(Set(roots)).map { SQLBind($0) })
        return Set(
            try await db.sql.raw(
                """
                WITH RECURSIVE tree(code) AS (
                  SELECT code FROM units WHERE code IN (\(seeds))
                  UNION
                  SELECT units.code FROM units JOIN tree ON units.parent_code = tree.code
                ) SELECT code FROM tree
                """
            ).all(decoding: CodeRow.self).map(\.code))
    }

    /// Every unit's parent, by code (the root's is nil): one query serves any number of ancestor walks. Only the
    /// two columns are read: a list of a city's sheets walks 56,000 of them.
    static func parents(on db: any Database) async throws -> [String: String?] {
        struct Link: Decodable { let code: String; let parent_code: String? }
        let links = try await db.sql.select().column("code").column("parent_code").from(Unit.schema).all(
            decoding: Link.self)
        return Dictionary(links.map { ($0.code, $0.parent_code) }, uniquingKeysWith: { first, _ in first })
    }

    static func unitAndAncestors(_ code: String, parents: [String: String?]) -> [String] {
        var chain: [String] = []
        var next: String? = code
        while let current = next, chain.count < 8, !chain.contains(current), let parent = parents[current] {
            chain.append(current)
            next = parent
        }
        return chain
    }
}

extension RoutesBuilder {
    /// The routes registered on the result are reachable only under `rule`.
    func requiring(_ rule: AccessRule) -> any RoutesBuilder {
        Ruled(base: grouped(Authorize(rule: rule)), rule: rule)
    }
}

extension AccessRule {
    static let key: AnySendableHashable = "kaohe.access-rule"
}

/// Routes that remember their rule, so that a check in front of the rule's middleware can apply it first.
private struct Ruled: RoutesBuilder {
    let base: any RoutesBuilder
    let rule: AccessRule

    func add(_ route: Route) {
        route.userInfo[AccessRule.key] = rule
        base.add(route)
    }
}

extension Array {
    /// The array in consecutive pieces of at most `size`: an IN list stays well under either database's limit.
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
