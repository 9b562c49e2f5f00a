import Fluent
import SQLKit

/// Suggestions set aside with a reason (issue 13), read with their sheet.
struct M025_SuggestionDismissals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SuggestionDismissal.schema)
            .id()
            .field("created_at", .datetime)
            .field("assessment_id", .uuid, .required, .references(Sheet.schema, "id"))
            .field("rule", .string, .required)
            .field("count", .int, .required)
            .field("suggestion", .string, .required)
            .field("reason", .string, .required)
            .field("dismissed_by", .string, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "suggestion_dismissals_by_sheet").on(SuggestionDismissal.schema).column(
                "assessment_id"
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SuggestionDismissal.schema).delete()
    }
}
