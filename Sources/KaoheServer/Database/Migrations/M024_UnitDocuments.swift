import Fluent

/// 细则 2.3's plans and summaries (issue 13): one of each kind a unit and year.
struct M024_UnitDocuments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(UnitDocument.schema)
            .id()
            .field("created_at", .datetime)
            .field("unit_code", .string, .required)
            .field("kind", .string, .required)
            .field("year", .int, .required)
            .field("submitted_on", .string, .required)
            .field("title", .string, .required)
            .field("created_by", .string, .required)
            .unique(on: "unit_code", "kind", "year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(UnitDocument.schema).delete()
    }
}
