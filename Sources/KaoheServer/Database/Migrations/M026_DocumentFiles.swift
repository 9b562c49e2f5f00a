import Fluent

/// 细则 2.3: the plan or summary itself, attached to its record (issue 13). Nullable, so every record kept before
/// stays as it was; one column a statement, as SQLite alters a table.
struct M026_DocumentFiles: AsyncMigration {
    static let columns: [(String, DatabaseSchema.DataType)] = [
        ("file_name", .string), ("file_sha256", .string), ("file_type", .string), ("file_size", .int),
    ]

    func prepare(on database: any Database) async throws {
        for (name, type) in Self.columns {
            try await database.schema(UnitDocument.schema).field(FieldKey(stringLiteral: name), type).update()
        }
    }

    func revert(on database: any Database) async throws {
        for (name, _) in Self.columns.reversed() {
            try await database.schema(UnitDocument.schema).deleteField(FieldKey(stringLiteral: name)).update()
        }
    }
}
