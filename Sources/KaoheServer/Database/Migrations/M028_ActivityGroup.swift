import Fluent

/// A branch's 党小组会 names its group (issue 27): it counts for that group alone. Nullable: a record kept before
/// names none and counts as it did.
struct M028_ActivityGroup: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Activity.schema).field("group_code", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Activity.schema).deleteField("group_code").update()
    }
}
