import Fluent

/// Offices have dates (issue 28): a role is held from a day to a day, and an ended office keeps its record (the
/// 扣奖 of a past quarter names whoever was secretary then). Grants made before hold since ever.
struct M032_OfficeDates: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RoleGrant.schema).field("from_day", .string).update()
        try await database.schema(RoleGrant.schema).field("to_day", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RoleGrant.schema).deleteField("to_day").update()
        try await database.schema(RoleGrant.schema).deleteField("from_day").update()
    }
}
