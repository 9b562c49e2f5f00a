import Fluent
import KaoheCore
import SQLKit
import Vapor

/// The sheets of one period that a user may see (`Policy.canSee`), each with its unit, the viewer's rights on
/// it and the engine's score of its entries in force. A board reads only what it shows: the sheets of the levels,
/// states and units it asks for, the units above them (not the city's tree), and the entries of the page it scores.
struct PeriodSheets {
    struct Listed {
        let row: SheetRow
        let unit: UnitPlace?
        let viewer: Policy.Viewer
        let rubric: Rubric
        /// The engine's score, for the sheets of the page that was scored.
        let score: UnitScore?
        /// A published branch's row as the board keeps it, instead of a score: what was published stands.
        var published: Results.Row? = nil

        var state: SheetState { row.state }
        var name: String { unit?.name ?? row.unitCode }
    }

    let period: Period
    let sheets: [Listed]
    let units: [String: UnitPlace]
    /// How many sheets the viewer may see in all, of which `sheets` is the page asked for.
    let total: Int

    /// - Parameters:
    ///   - units: only the sheets of these units (a branch and what is below it); all when nil.
    ///   - under: with `units`, also the sheets kept under these units in their quarter (`Sheet.above`): a member's
    ///     past sheet stays on the board of the branch they were in then.
    ///   - page: the visible sheets to keep, in tree order; every one when nil.
    ///   - scored: whether to read the kept sheets' entries and score them.
    ///   - places: the units of `units` with their ancestors, when the caller has read them (`Access.placesActedOn`).
    static func load(
        _ period: Period, for user: User, levels: Set<Unit.Kind>? = nil, states: Set<SheetState>? = nil,
        units codes: Set<String>? = nil, under roots: [String] = [], page: Range<Int>? = nil, scored: Bool = true,
        on db: any Database
    ) async throws -> PeriodSheets {
        try await load(
            [period], for: user, levels: levels, states: states, units: codes, under: roots, page: page,
            scored: scored, on: db
        )[0]
    }

    /// The boards of several periods at once, in their order: the sheets of all of them are one read (the 待办 lists
    /// every open quarter's), and the units above them another.
    static func load(
        _ periods: [Period], for user: User, levels: Set<Unit.Kind>? = nil, states: Set<SheetState>? = nil,
        units codes: Set<String>? = nil, under roots: [String] = [], page: Range<Int>? = nil, scored: Bool = true,
        places: [String: UnitPlace]? = nil, on db: any Database
    ) async throws -> [PeriodSheets] {
        if periods.isEmpty { return [] }
        if codes?.isEmpty == true || levels?.isEmpty == true || states?.isEmpty == true {
            return periods.map { PeriodSheets(period: $0, sheets: [], units: [:], total: 0) }
        }
        let ids = SQLList(try periods.map { SQLBind(try $0.requireID()) })
        var rows: [(period: UUID, row: SheetRow)] = []
        func read(_ query: SQLQueryString) async throws -> [(period: UUID, row: SheetRow)] {
            try await db.sql.raw(query).all().map {
                (try $0.decode(column: "period_id", as: UUID.self), try SheetRow($0))
            }
        }
        let filters: [ArraySlice<String>?] = codes.map { Array($0).chunked(into: 5_000).map(Optional.some) } ?? [nil]
        for batch in filters {
            // Hand-written and read by hand, as every read a page makes on each request (`SheetRow`).
            var query: SQLQueryString =
                "SELECT period_id, \(SheetRow.columns) FROM \(ident: Sheet.schema) WHERE period_id IN (\(ids))"
            if let levels { query += " AND level IN (\(SQLList(levels.map { SQLBind($0.rawValue) })))" }
            if let states { query += " AND state IN (\(SQLList(states.map { SQLBind($0.rawValue) })))" }
            if let batch { query += " AND unit_code IN (\(SQLList(batch.map { SQLBind($0) })))" }
            rows += try await read(query)
        }
        if codes != nil {
            var seen = Set(rows.map(\.row.id))
            for root in roots {
                var query: SQLQueryString = """
                    SELECT period_id, \(SheetRow.columns) FROM \(ident: Sheet.schema) WHERE period_id IN (\(ids)) \
                    AND (' ' || above || ' ') LIKE \(bind: "% \(root) %")
                    """
                if let levels { query += " AND level IN (\(SQLList(levels.map { SQLBind($0.rawValue) })))" }
                if let states { query += " AND state IN (\(SQLList(states.map { SQLBind($0.rawValue) })))" }
                for found in try await read(query) where seen.insert(found.row.id).inserted { rows.append(found) }
            }
        }
        let grants = try await Access.roles(of: user, on: db)
        let units =
            if let places, rows.allSatisfy({ places[$0.row.unitCode] != nil }) { places } else {
                try await Access.unitsAndAncestors(of: rows.map(\.row.unitCode), on: db)
            }
        let byPeriod = Dictionary(grouping: rows, by: \.period)
        // The units are all the periods' together: their parents and tree order are worked out once.
        let tree = (parents: units.mapValues(\.parentCode), order: treeOrder(units))
        var boards: [PeriodSheets] = []
        for period in periods {
            boards.append(
                try await board(
                    period, rows: (byPeriod[try period.requireID()] ?? []).map(\.row), units: units, tree: tree,
                    user: user, grants: grants, page: page, scored: scored, on: db))
        }
        return boards
    }

    /// One period's board from its rows as read: the visible ones in tree order, the page kept, scored when asked.
    private static func board(
        _ period: Period, rows: [SheetRow], units: [String: UnitPlace],
        tree: (parents: [String: String?], order: [String: [Int]]), user: User, grants: [RoleGrant],
        page: Range<Int>?, scored: Bool, on db: any Database
    ) async throws -> PeriodSheets {
        let (parents, order) = tree
        var visible: [(row: SheetRow, viewer: Policy.Viewer)] = rows.compactMap { row in
            var chain = row.chain(parents: parents)
            // A branch stands under the general branch even when its unit is gone from the tree, as `BranchIndex` counts it.
            if chain.isEmpty && row.level == .branch { chain = [row.unitCode, OrgTree.rootCode] }
            let viewer = Policy.Viewer(user: user, grants: grants, chain: chain)
            return Policy.canSee(row, viewer) ? (row, viewer) : nil
        }
        visible.sort { a, b in
            let x = order[a.row.unitCode] ?? [], y = order[b.row.unitCode] ?? []
            return x != y ? x.lexicographicallyPrecedes(y) : a.row.unitCode < b.row.unitCode
        }
        let kept =
            page.map { Array(visible[min($0.lowerBound, visible.count)..<min($0.upperBound, visible.count)]) }
            ?? visible
        // A published branch sheet shows its row as published (decoded once per version, `Results.rows`); its
        // entries are read and scored only when the kept rows lack it.
        let published: [String: Results.Row] =
            scored && kept.contains(where: { $0.row.state == .published && $0.row.level == .branch })
            ? try await Results.rowsByUnit(of: period, on: db) ?? [:] : [:]
        func standing(_ row: SheetRow) -> Results.Row? {
            row.state == .published && row.level == .branch ? published[row.unitCode] : nil
        }
        let toScore = scored ? kept.filter { standing($0.row) == nil } : []
        let struck = toScore.isEmpty ? [:] : try await Vetoes.struck(in: period.year, on: db)
        // Only the sheets changed since they were last scored are read and scored again (`SheetScores`).
        var scores: [UUID: UnitScore] = [:]
        for (row, _) in toScore {
            scores[row.id] = SheetScores.remembered(.init(row, vetoes: struck[row.unitCode] ?? []))
        }
        let unscored = toScore.map(\.row.id).filter { scores[$0] == nil }
        let entries = unscored.isEmpty ? [:] : try await Sheet.scoredEntries(of: unscored, on: db)
        var rubrics: [UUID: Rubric] = [:]
        var sheets: [Listed] = []
        for (row, viewer) in kept {
            let versionID = row.rubricID
            if rubrics[versionID] == nil { rubrics[versionID] = try await RubricStore.rubric(id: versionID, on: db) }
            let rubric = rubrics[versionID]!
            let standing = standing(row)  // nil unless scored: `published` is read only then
            var score = scores[row.id]
            if scored, standing == nil, score == nil {
                let vetoes = struck[row.unitCode] ?? []
                let scoredNow = try Sheets.score(row, scored: entries[row.id] ?? [], rubric: rubric, vetoes: vetoes)
                SheetScores.remember(scoredNow, for: .init(row, vetoes: vetoes))
                score = scoredNow
            }
            sheets.append(
                Listed(
                    row: row, unit: units[row.unitCode], viewer: viewer, rubric: rubric, score: score,
                    published: standing))
        }
        return PeriodSheets(period: period, sheets: sheets, units: units, total: visible.count)
    }

    /// The branch a group's or member's sheet belongs to.
    func branch(of sheet: Listed) -> UnitPlace? {
        var code: String? = sheet.row.unitCode
        while let current = code, let unit = units[current] {
            if unit.kind == .branch { return unit }
            code = unit.parentCode
        }
        return nil
    }

    /// Each unit's place in the tree as the path of sort orders from the root, so a branch comes before its groups
    /// and a group before its members.
    private static func treeOrder(_ units: [String: UnitPlace]) -> [String: [Int]] {
        var order: [String: [Int]] = [:]
        func path(_ code: String, depth: Int = 0) -> [Int] {
            if let known = order[code] { return known }
            guard let unit = units[code], depth < 8 else { return [] }
            let result = (unit.parentCode.map { path($0, depth: depth + 1) } ?? []) + [unit.sortOrder]
            order[code] = result
            return result
        }
        for code in units.keys { _ = path(code) }
        return order
    }
}
