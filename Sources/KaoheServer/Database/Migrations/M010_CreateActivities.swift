import Fluent

/// The activity ledger (活动台账).
struct M010_CreateActivities: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Activity.schema)
            .id()
            .field("created_at", .datetime)
            .field("unit_code", .string, .required)
            .field("type", .string, .required)
            .field("date", .string, .required)
            .field("topic", .string, .required)
            .field("attendees", .string, .required)
            .field("absent", .string, .required)
            .field("created_by", .string, .required)
            .field("withdrawn", .bool, .required)
            .field("withdrawn_by", .string)
            .field("withdrawn_reason", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Activity.schema).delete()
    }
}
