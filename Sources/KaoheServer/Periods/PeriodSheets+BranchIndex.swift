import Fluent
import Foundation
import KaoheCore
import SQLKit

extension PeriodSheets {
    /// The branch sheets of a period the viewer may see, as the dashboard shows them before it loads any: how many
    /// are in each state, how many a search finds by name or code, and one page of those in the tree's order. The
    /// database counts and pages them, visibility as `Policy.branchSight` states it: a thousand rows are not read and
    /// sorted to show fifty. A page walks the general branch's units in their order (`units_in_order`), joining
    /// each to its sheet by the sheet's unique key; sheets whose unit is gone come first, as `load` orders them.
    struct BranchIndex {
        let states: [SheetState: Int]
        /// How many the search finds (all the viewer sees when it is empty).
        let found: Int
        /// The sheets found whose unit is no longer a branch of the general branch, by code.
        private let orphans: [String]
        /// `FROM … WHERE …` of the branches found that stand under the general branch: counted, then paged.
        private let listed: SQLQueryString
        /// Codes in byte order on both databases, as Swift compares them (PostgreSQL's default collation would not).
        private let byCode: String

        static func read(_ period: Period, for user: User, search: String, on db: any Database) async throws
            -> BranchIndex
        {
            let postgres = db.sql.dialect.name == "postgresql"
            let periodID = try period.requireID()
            var sight: SQLQueryString = ""
            if case .publishedAnd(let held) = Policy.branchSight(try await Access.roles(of: user, on: db)) {
                let published = SheetState.published.rawValue
                sight =
                    held.isEmpty
                    ? " AND a.state = \(bind: published)"
                    : " AND (a.state = \(bind: published) OR a.unit_code IN (\(SQLList(held.sorted().map { SQLBind($0) }))))"
            }
            func finds(_ name: String, _ code: String) -> SQLQueryString {
                search.isEmpty ? "" : " AND (" + db.finds(search, in: name) + " OR " + db.finds(search, in: code) + ")"
            }
            let branches: SQLQueryString =
                "a.period_id = \(bind: periodID) AND a.level = \(bind: Unit.Kind.branch.rawValue)" + sight
            var states: [SheetState: Int] = [:]
            for row in try await db.sql.raw(
                "SELECT a.state, COUNT(*) AS n FROM assessments a WHERE " + branches + " GROUP BY a.state"
            ).all() {
                if let state = SheetState(rawValue: try row.decode(column: "state", as: String.self)) {
                    states[state] = try row.decode(column: "n", as: Int.self)
                }
            }
            // Both sides read in index order and compared in memory: a thousand probes of the units' index, one per
            // sheet, cost more than the rest of the page.
            let orphans = try await db.sql.raw(
                """
                SELECT a.unit_code FROM assessments a WHERE \(branches)\(finds("a.unit_code", "a.unit_code"))
                EXCEPT SELECT code FROM units WHERE parent_code = \(bind: OrgTree.rootCode)
                """
            ).all().map { try $0.decode(column: "unit_code", as: String.self) }.sorted()
            let listed: SQLQueryString = """
                FROM units u JOIN assessments a ON a.period_id = \(bind: periodID) AND a.unit_code = u.code
                WHERE u.parent_code = \(bind: OrgTree.rootCode)\(sight)\(finds("u.name", "u.code"))
                """
            let found =
                search.isEmpty
                ? states.values.reduce(0, +)
                : orphans.count
                    + (try await db.sql.raw("SELECT COUNT(*) AS n " + listed).first()?.decode(column: "n", as: Int.self)
                        ?? 0)
            return BranchIndex(
                states: states, found: found, orphans: orphans, listed: listed,
                byCode: postgres ? #"u.code COLLATE "C""# : "u.code")
        }

        /// The codes of `range` among those found: a unit that is gone first, then by the branch's place, then by code.
        func codes(_ range: Range<Int>, on db: any Database) async throws -> [String] {
            let first = Array(orphans[min(range.lowerBound, orphans.count)..<min(range.upperBound, orphans.count)])
            let offset = max(0, range.lowerBound - orphans.count), limit = range.count - first.count
            guard limit > 0 else { return first }
            return first
                + (try await db.sql.raw(
                    """
                    SELECT u.code \(listed) ORDER BY u.sort_order, \(unsafeRaw: byCode) LIMIT \(literal: limit) OFFSET \(literal: offset)
                    """
                ).all().map { try $0.decode(column: "code", as: String.self) })
        }
    }
}
