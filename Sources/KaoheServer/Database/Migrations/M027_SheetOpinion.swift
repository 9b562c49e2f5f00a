import Fluent

/// 办法 四(二): the panel's overall 考核意见 of a sheet, written when it closes its review (issue 27). Nullable: the
/// sheets closed before it carry none.
struct M027_SheetOpinion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Sheet.schema).field("opinion", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Sheet.schema).deleteField("opinion").update()
    }
}
