import Fluent
import SQLKit

/// What waits in a quarter, found by its state (issue 12): the start page counts each period's sheets not yet
/// published by level and state, and a published quarter's 56,000 sheets are then not read one by one to find that
/// none waits. The index covers the count (period, state, level).
struct M017_SheetsByState: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "sheets_by_state").on(Sheet.schema).column("period_id").column("state").column(
            "level"
        ).run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "sheets_by_state").run()
    }
}
