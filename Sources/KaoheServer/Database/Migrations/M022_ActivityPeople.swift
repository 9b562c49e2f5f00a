import Fluent
import SQLKit

/// Attendees and absentees become members chosen from the unit's roster (issue 13), so 每缺一人 counts people:
/// the columns hold member codes, and those absent with leave (请假) get their own. Names already recorded become
/// the codes of the unit's members so named (a name two members share, or no member has, is kept as written).
struct M022_ActivityPeople: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Activity.schema).field("excused", .string, .required, .sql(.default(""))).update()
        try await Self.recode(on: database)
    }

    /// Names recorded before become the codes of the unit's members so named.
    static func recode(on database: any Database) async throws {
        // Only the columns this step knows: a later migration's column is not there yet.
        let activities = try await Activity.query(on: database)
            .field(\.$id).field(\.$unitCode).field(\.$attendees).field(\.$absent).all()
        guard !activities.isEmpty else { return }
        let units = try await Unit.query(on: database).all()
        let parents = Dictionary(units.map { ($0.code, $0.parentCode) }, uniquingKeysWith: { a, _ in a })
        /// Each unit's members by name, a name shared by two members left out.
        var rosters: [String: [String: String?]] = [:]
        for member in units where member.kind == .member {
            var unit = member.parentCode
            while let code = unit {
                let known = rosters[code]?[member.name]
                rosters[code, default: [:]][member.name] = known == nil ? .some(member.code) : .some(nil)
                unit = parents[code] ?? nil
            }
        }
        for activity in activities {
            let roster = rosters[activity.unitCode] ?? [:]
            func coded(_ column: String) -> String {
                Activity.codes(column).map { name in (roster[name] ?? nil) ?? name }.joined(separator: "\n")
            }
            let (attendees, absent) = (coded(activity.attendees), coded(activity.absent))
            guard attendees != activity.attendees || absent != activity.absent else { continue }
            activity.attendees = attendees
            activity.absent = absent
            try await activity.save(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Activity.schema).deleteField("excused").update()
    }
}
