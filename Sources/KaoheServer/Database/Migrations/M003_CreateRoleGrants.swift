import Fluent

struct M003_CreateRoleGrants: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // Roles are stored as text, not a database enum, so new roles need no ALTER TYPE on PostgreSQL
        // (which SQLite could not mirror).
        try await database.schema(RoleGrant.schema)
            .id()
            .field("created_at", .datetime)
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("role", .string, .required)
            .field("unit_code", .string, .required)
            .unique(on: "user_id", "role", "unit_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RoleGrant.schema).delete()
    }
}
