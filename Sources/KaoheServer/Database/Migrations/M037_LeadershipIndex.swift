import Fluent
import SQLKit

/// A draft sheet asks for the bureau's few 局党组成员 (细则 6.3) on every read: without an index that was a scan of
/// every unit, 19 ms of each read at 1,000 branches (issue 29's profile).
struct M037_LeadershipIndex: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.create(index: "units_in_leadership_group").on(Unit.schema).column("in_leadership_group")
            .column("kind").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.drop(index: "units_in_leadership_group").run()
    }
}
