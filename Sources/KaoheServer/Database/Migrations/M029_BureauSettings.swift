import Fluent

/// The bureau's own settings (issue 27: the ledger's start date, 台账启用日), one row per key.
struct M029_BureauSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BureauSetting.schema)
            .field("key", .string, .identifier(auto: false))
            .field("value", .string, .required)
            .field("updated_at", .datetime)
            .field("updated_by", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BureauSetting.schema).delete()
    }
}
