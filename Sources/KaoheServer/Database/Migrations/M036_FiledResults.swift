import Fluent
import SQLKit

/// The groups' and members' filed results a row per sheet (issue 29), moved out of the level's one JSON row.
struct M036_FiledResults: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FiledResult.schema)
            .id()
            .field("period_id", .uuid, .required, .references(Period.schema, "id"))
            .field("level", .string, .required)
            .field("unit_code", .string, .required)
            .field("name", .string, .required)
            .field("standing", .int64, .required)
            .field("row", .string, .required)
            .unique(on: "period_id", "level", "unit_code")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "filed_results_standing").on(FiledResult.schema)
            .column("period_id").column("level").column("standing").run()
        var moved: Set<String> = []
        for stored in try await StoredResults.query(on: database).filter(\.$level ~~ [.group, .member]).all() {
            moved.insert("\(stored.$period.id)/\(stored.level.rawValue)")
            if let period = try await Period.find(stored.$period.id, on: database) {
                try await FiledResults.replace(try stored.decoded(), of: period, level: stored.level, on: database)
            }
            try await stored.delete(on: database)
        }
        // A level filed before its rows were ever read was never kept: computed now, once.
        for period in try await Period.query(on: database).all() {
            for level in [Unit.Kind.group, .member] where !moved.contains("\(try period.requireID())/\(level.rawValue)")
            {
                try await Results.store(period, level: level, on: database)
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FiledResult.schema).delete()
    }
}
