import Fluent
import KaoheCore
import Vapor

/// The sheets of one period that a user may see (`Policy.canSee`), each with its unit, the viewer's rights on
/// it and the engine's score of its entries in force. The user's roles, the tree and each rubric version are read
/// once for the whole list, as the API's sheet list does.
struct PeriodSheets {
    struct Sheet {
        let row: Assessment
        let unit: Unit?
        let viewer: Policy.Viewer
        let rubric: Rubric
        let score: UnitScore

        var state: AssessmentState { AssessmentState(rawValue: row.state) ?? .draft }
        var name: String { unit?.name ?? row.unitCode }
    }

    let period: Period
    let sheets: [Sheet]
    let units: [String: Unit]

    static func load(_ period: Period, for user: User, levels: Set<String>? = nil, states: Set<AssessmentState>? = nil,
                     on db: any Database) async throws -> PeriodSheets {
        var query = Assessment.query(on: db).filter(\.$period.$id == (try period.requireID()))
        if let levels { query = query.filter(\.$level ~~ Array(levels)) }
        if let states { query = query.filter(\.$state ~~ states.map(\.rawValue)) }
        let rows = try await query.with(\.$rubric).with(\.$entries).all()
        let grants = try await Access.roles(of: user, on: db)
        let units = Dictionary(try await Unit.query(on: db).all().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let parents = units.mapValues(\.parentCode)
        var rubrics: [UUID: Rubric] = [:]
        var sheets: [Sheet] = []
        let struck = try await Vetoes.struck(in: period.year, on: db)
        for row in rows {
            let viewer = Policy.Viewer(user: user, grants: grants, chain: Access.unitAndAncestors(row.unitCode, parents: parents))
            guard Policy.canSee(row, viewer) else { continue }
            let versionID = try row.rubric.requireID()
            let rubric = try rubrics[versionID] ?? RubricStore.rubric(of: row.rubric)
            rubrics[versionID] = rubric
            sheets.append(Sheet(row: row, unit: units[row.unitCode], viewer: viewer, rubric: rubric,
                                score: try Sheets.score(row, entries: row.entries, rubric: rubric, vetoes: struck[row.unitCode] ?? [])))
        }
        let order = treeOrder(units)
        sheets.sort { a, b in
            let x = order[a.row.unitCode] ?? [], y = order[b.row.unitCode] ?? []
            return x != y ? x.lexicographicallyPrecedes(y) : a.row.unitCode < b.row.unitCode
        }
        return PeriodSheets(period: period, sheets: sheets, units: units)
    }

    /// The branch a group's or member's sheet belongs to.
    func branch(of sheet: Sheet) -> Unit? {
        var code: String? = sheet.row.unitCode
        while let current = code, let unit = units[current] {
            if unit.kind == .branch { return unit }
            code = unit.parentCode
        }
        return nil
    }

    /// Each unit's place in the tree as the path of sort orders from the root, so a branch comes before its groups
    /// and a group before its members.
    private static func treeOrder(_ units: [String: Unit]) -> [String: [Int]] {
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
