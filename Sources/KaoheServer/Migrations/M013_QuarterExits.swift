import Fluent
import SQLKit

/// The quarter's exits: a sheet forwarded unreported (未开展自查), a review closed after the panel's deadline,
/// opinions that conflict only with a change to their own item, the result as published (kept on the board while
/// an upheld objection is re-reviewed) and an objection's outcome.
struct M013_QuarterExits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Assessment.schema)
            .field("self_reported", .bool, .required, .sql(.default(true)))
            .update()
        try await database.schema(Assessment.schema)
            .field("review_late", .bool, .required, .sql(.default(false)))
            .update()
        try await database.schema(AssessmentOpinion.schema)
            .field("changed_at_version", .int, .required, .sql(.default(0)))
            .update()
        try await database.schema(Assessment.schema).field("published_score", .string).update()
        for field in ["before_total", "before_grade", "after_total", "after_grade"] {
            try await database.schema(Objection.schema).field(FieldKey(stringLiteral: field), .string).update()
        }
    }

    func revert(on database: any Database) async throws {
        for field in ["before_total", "before_grade", "after_total", "after_grade"] {
            try await database.schema(Objection.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
        try await database.schema(Assessment.schema).deleteField("published_score").update()
        try await database.schema(AssessmentOpinion.schema).deleteField("changed_at_version").update()
        try await database.schema(Assessment.schema).deleteField("review_late").update()
        try await database.schema(Assessment.schema).deleteField("self_reported").update()
    }
}
