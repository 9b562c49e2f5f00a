import Fluent
import SQLKit

/// What each unit's ledger comes to, kept by the writes that change it (issue 29), and counted once now from what
/// is already recorded.
struct M035_KeptLedgers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(KeptLedgerYear.schema)
            .id()
            .field("unit_code", .string, .required)
            .field("year", .int, .required)
            .field("first_record", .string)
            .field("own", .string, .required)
            .field("counted_at", .datetime)
            .unique(on: "unit_code", "year")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "kept_ledger_years_year").on(KeptLedgerYear.schema).column("year").run()
        try await KeptLedgerYear.recountAll(on: database, readings: false)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(KeptLedgerYear.schema).delete()
    }
}
