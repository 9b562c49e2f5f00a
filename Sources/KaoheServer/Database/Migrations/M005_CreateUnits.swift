import Fluent

struct M005_CreateUnits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Unit.schema)
            .id()
            .field("created_at", .datetime)
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("kind", .string, .required)
            .field("parent_code", .string)
            .field("sort_order", .int, .required)
            .field("position", .string)
            .field("joined_on", .string)
            .field("holds_mid_level_post", .bool, .required)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Unit.schema).delete()
    }
}
