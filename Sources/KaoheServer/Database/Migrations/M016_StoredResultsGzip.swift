import Fluent

/// The stored results also kept as gzip (issue 12): `GET …/results` of a thousand branches sends a tenth of the bytes
/// to every client that accepts it, compressed once when the rows are stored. Rows stored before have none until
/// they are stored again and are sent uncompressed.
struct M016_StoredResultsGzip: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StoredResults.schema).field("rows_gzip", .data).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StoredResults.schema).deleteField("rows_gzip").update()
    }
}
