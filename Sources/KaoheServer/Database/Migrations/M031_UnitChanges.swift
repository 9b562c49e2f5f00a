import Fluent
import SQLKit

/// Units over time (issue 28): each rename, move and retirement from a day, with what the unit was before it.
struct M031_UnitChanges: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UnitChange.schema)
            .id()
            .field("created_at", .datetime)
            .field("unit_code", .string, .required)
            .field("day", .string, .required)
            .field("action", .string, .required)
            .field("name_before", .string, .required)
            .field("parent_before", .string)
            .field("reason", .string)
            .field("changed_by", .string, .required)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "unit_changes_unit").on(UnitChange.schema).column("unit_code").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UnitChange.schema).delete()
    }
}
