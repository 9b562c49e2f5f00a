import Fluent
import KaoheCore
import SQLKit
import Vapor

/// The groups' and members' filed (备案) results, a row per sheet (`FiledResult`): filing one sheet writes its own
/// row, and a page of the level reads its fifty rows and counts their ranks, never the level whole.
enum FiledResults {
    /// The units whose filed results these grants read (`Policy.mayReadFiled`): nil for every unit (a role on the
    /// general branch), else the units under a role's unit and the units a member's role is held on.
    static func scope(of grants: [RoleGrant], on db: any Database) async throws -> Set<String>? {
        let above = grants.filter { $0.role != .member }.map(\.unitCode)
        if above.contains(OrgTree.rootCode) { return nil }
        let own = Set(grants.filter { $0.role == .member }.map(\.unitCode))
        return own.union(try await Access.unitsAndDescendants(of: above, on: db))
    }

    /// Rows of `level` in rank order (highest total first, the code breaking ties), those `scope` admits and whose
    /// name or code holds `search`, `limit` of them from `offset`; each ranked among the whole level, as published.
    static func page(
        of period: Period, level: Unit.Kind, scope: Set<String>?, search: String = "", limit: Int?, offset: Int = 0,
        on db: any Database
    ) async throws -> [Results.Row] {
        let id = try period.requireID()
        if let scope, scope.count > QueryBuilder<FiledResult>.batchSize {
            // A scope too large to bind in one statement: the level read and filtered here (a role high in a tree
            // that is not the bureau's root; rare).
            let all = try await rows(of: period, level: level, on: db).filter {
                scope.contains($0.unit) && (search.isEmpty || $0.name.contains(search) || $0.unit.contains(search))
            }
            let start = min(offset, all.count)
            return Array(all[start..<min(all.count, start + (limit ?? all.count))])
        }
        // SQLite takes no OFFSET without a LIMIT.
        let select = filtered(
            db.sql.select().columns("row", "standing"), period: id, level: level, scope: scope, search: search, on: db
        )
        .orderBy("standing", .descending).orderBy("unit_code", .ascending)
        .limit(limit ?? Int(Int32.max)).offset(offset)
        struct Filed: Decodable {
            let row: String
            let standing: Int64
        }
        let filed = try await select.all(decoding: Filed.self)
        let ranks = try await ranks(of: Set(filed.map(\.standing)), period: id, level: level, on: db)
        return try filed.map {
            try JSONDecoder().decode(Results.Row.self, from: Data($0.row.utf8)).ranked(ranks[$0.standing] ?? 0)
        }
    }

    /// How many rows of `level` `scope` admits whose name or code holds `search` (`scope` nil: every unit's).
    static func count(
        of period: Period, level: Unit.Kind, scope: Set<String>?, search: String = "", on db: any Database
    ) async throws -> Int {
        struct Counted: Decodable { let count: Int }
        let select = db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
        return try await filtered(
            select, period: try period.requireID(), level: level, scope: scope, search: search, on: db
        ).first(decoding: Counted.self)?.count ?? 0
    }

    /// `select` from the level's rows that `scope` admits and whose name or code holds `search`.
    private static func filtered(
        _ select: SQLSelectBuilder, period: UUID, level: Unit.Kind, scope: Set<String>?, search: String,
        on db: any Database
    ) -> SQLSelectBuilder {
        var select = select.from(FiledResult.schema).where("period_id", .equal, SQLBind(period))
            .where("level", .equal, SQLBind(level.rawValue))
        if let scope { select = select.where("unit_code", .in, SQLBind.group(Array(scope))) }
        if !search.isEmpty {
            select = select.where(
                SQLGroupExpression(
                    SQLBinaryExpression(db.finds(search, in: "name"), .or, db.finds(search, in: "unit_code"))))
        }
        return select
    }

    /// The whole level in rank order (exports, the years' views): rows ranked as they come.
    static func rows(of period: Period, level: Unit.Kind, on db: any Database) async throws -> [Results.Row] {
        let filed = try await FiledResult.query(on: db).filter(\.$period.$id == period.requireID())
            .filter(\.$level == level).sort(\.$standing, .descending).sort(\.$unitCode).all()
        var rows: [Results.Row] = []
        rows.reserveCapacity(filed.count)
        for (index, row) in filed.enumerated() {
            let rank = index > 0 && filed[index - 1].standing == row.standing ? rows[index - 1].rank : index + 1
            rows.append(try row.decoded(rank: rank))
        }
        return rows
    }

    /// Each standing's rank in the level: one more than the rows with a higher standing. Two statements whatever
    /// the page: the rows above the page's highest, and the rows of each standing from its lowest to its highest.
    static func ranks(of standings: Set<Int64>, period: UUID, level: Unit.Kind, on db: any Database) async throws
        -> [Int64: Int]
    {
        guard let highest = standings.max(), let lowest = standings.min() else { return [:] }
        struct Counted: Decodable {
            let standing: Int64
            let count: Int
        }
        struct Above: Decodable { let count: Int }
        let above =
            try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            .from(FiledResult.schema).where("period_id", .equal, SQLBind(period))
            .where("level", .equal, SQLBind(level.rawValue)).where("standing", .greaterThan, SQLBind(highest))
            .first(decoding: Above.self)?.count ?? 0
        let within = try await db.sql.select().column("standing")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            .from(FiledResult.schema).where("period_id", .equal, SQLBind(period))
            .where("level", .equal, SQLBind(level.rawValue))
            .where("standing", .greaterThanOrEqual, SQLBind(lowest)).where(
                "standing", .lessThanOrEqual, SQLBind(highest)
            )
            .groupBy("standing").orderBy("standing", .descending).all(decoding: Counted.self)
        var ranks: [Int64: Int] = [:]
        var higher = above
        for group in within {
            ranks[group.standing] = higher + 1
            higher += group.count
        }
        return ranks
    }

    /// Files one sheet's row (`row` nil: it has none now), in the caller's transaction.
    static func file(_ row: Results.Row?, unit: String, of period: Period, level: Unit.Kind, on db: any Database)
        async throws
    {
        let kept = try await FiledResult.query(on: db).filter(\.$period.$id == period.requireID())
            .filter(\.$level == level).filter(\.$unitCode == unit).first()
        guard let row else {
            try await kept?.delete(on: db)
            return
        }
        let filed = kept ?? FiledResult()
        filed.$period.id = try period.requireID()
        filed.level = level
        try filed.keep(row)
        try await filed.save(on: db)
    }

    /// Replaces the level's rows with `rows` (a level computed whole, once: the generator, an old level read first).
    static func replace(_ rows: [Results.Row], of period: Period, level: Unit.Kind, on db: any Database) async throws {
        try await FiledResult.query(on: db).filter(\.$period.$id == period.requireID()).filter(\.$level == level)
            .delete()
        for batch in rows.chunked(into: 500) {
            let filed = try batch.map { row in
                let filed = FiledResult()
                filed.$period.id = try period.requireID()
                filed.level = level
                try filed.keep(row)
                return filed
            }
            try await filed.create(on: db)
        }
    }

    /// Changes the rows of `units` in place (a veto's mark, a new name: never the total), in the given periods.
    static func amend(
        _ units: some Collection<String>, periods: [UUID]? = nil, on db: any Database,
        _ change: (inout Results.Row) -> Void
    ) async throws {
        var query = FiledResult.query(on: db)
        if let periods { query = query.filter(\.$period.$id ~~ periods) }
        for filed in try await query.all(where: \.$unitCode, in: Array(Set(units))) {
            let before = try filed.decoded(rank: 0)
            var row = before
            change(&row)
            guard row != before else { continue }
            try filed.keep(row)
            try await filed.save(on: db)
        }
    }
}
