import Fluent
import SQLKit

/// The yearly facts the 细则 counts (issue 28): members' 民主评议 and 部门考核 results, a unit's 满意率, 内审
/// findings; and which members sit on the bureau's 党组 (局党组成员, 细则 6.3).
struct M033_YearFacts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(YearFact.schema)
            .id()
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("unit_code", .string, .required)
            .field("year", .int, .required)
            .field("kind", .string, .required)
            .field("slot", .string, .required)
            .field("value", .string, .required)
            .field("day", .string)
            .field("note", .string)
            .field("recorded_by", .string, .required)
            .unique(on: "unit_code", "year", "kind", "slot")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "year_facts_year").on(YearFact.schema).column("year").column("kind").run()
        try await database.schema(Unit.schema).field("in_leadership_group", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Unit.schema).deleteField("in_leadership_group").update()
        try await database.schema(YearFact.schema).delete()
    }
}
