import Fluent
import SQLKit
import Vapor

extension VetoesPage {
    /// The units the form offers. A bureau of a few hundred gets them all; a city's 56,000 would be a select of
    /// megabytes, so there the form offers the branches, or what a search by name or code finds (50 at most), and
    /// always the unit already chosen.
    struct UnitChoice {
        let options: [SelectOption]
        /// Whether the list is narrowed, and the search box shown.
        let narrowed: Bool
    }

    /// The most units offered whole, as the dashboard lists a bureau's groups and members whole.
    static let wholeList = 300
    static let foundAtMost = 50

    static func unitChoice(find: String, chosen: String?, on db: any Database) async throws -> UnitChoice {
        let general = Unit.Kind.general.rawValue
        let many =
            try await db.sql.raw(
                """
                SELECT 1 AS one FROM \(ident: Unit.schema) WHERE kind <> \(bind: general) LIMIT \(unsafeRaw: String(wholeList + 1))
                """
            ).all().count > wholeList
        var query: SQLQueryString = "SELECT * FROM \(ident: Unit.schema) WHERE kind <> \(bind: general)"
        if many {
            query +=
                find.isEmpty
                ? " AND kind = \(bind: Unit.Kind.branch.rawValue)"
                : " AND (" + db.finds(find, in: "name") + " OR " + db.finds(find, in: "code")
                    + ") ORDER BY code LIMIT \(unsafeRaw: String(foundAtMost))"
        }
        var units = try await db.rows(Unit.self, query)
        if let chosen, !chosen.isEmpty, !units.contains(where: { $0.code == chosen }),
            let unit = try await db.rows(Unit.self, "SELECT * FROM \(ident: Unit.schema) WHERE code = \(bind: chosen)")
                .first
        {
            units.append(unit)
        }
        // Each named by its path from its branch (第一党支部 › 第一党小组 › 张三), read for these units alone.
        let known = try await Access.unitsAndAncestors(of: units.map(\.code), on: db)
        let parents = known.mapValues(\.parentCode)
        let options = units.sorted { $0.code < $1.code }.map { unit in
            let path = Access.unitAndAncestors(unit.code, parents: parents).dropLast().reversed().compactMap {
                known[$0]?.name
            }
            return SelectOption(value: unit.code, label: path.joined(separator: " › "), selected: unit.code == chosen)
        }
        return UnitChoice(options: options, narrowed: many)
    }
}
