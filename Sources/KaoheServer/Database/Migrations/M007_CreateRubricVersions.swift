import Fluent

struct M007_CreateRubricVersions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RubricVersion.schema)
            .id()
            .field("created_at", .datetime)
            .field("rubric_key", .string, .required)
            .field("number", .int, .required)
            .field("label", .string, .required)
            .field("title", .string, .required)
            .field("level", .string, .required)
            .field("yaml", .string, .required)
            .field("sha256", .string, .required)
            .field("created_by", .string, .required)
            .field("note", .string, .required)
            .unique(on: "rubric_key", "number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RubricVersion.schema).delete()
    }
}
