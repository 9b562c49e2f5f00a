import Fluent

/// Past sheets stay where they were (issue 28): a sheet keeps the units above its unit in its quarter, so that a
/// member's sheet of a quarter in one branch is read by that branch after the member moved to another. Sheets
/// opened before keep reading today's tree (nil).
struct M034_SheetPlaces: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Sheet.schema).field("above", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Sheet.schema).deleteField("above").update()
    }
}
