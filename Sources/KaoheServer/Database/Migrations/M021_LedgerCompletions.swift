import Fluent

/// 部分记账: which quarters a unit's secretary has marked as completely recorded (issue 13). One mark per unit and
/// quarter, so that two secretaries marking at once leave one.
struct M021_LedgerCompletions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LedgerCompletion.schema)
            .id()
            .field("created_at", .datetime)
            .field("unit_code", .string, .required)
            .field("quarter", .string, .required)
            .field("marked_by", .string, .required)
            .unique(on: "unit_code", "quarter")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(LedgerCompletion.schema).delete()
    }
}
