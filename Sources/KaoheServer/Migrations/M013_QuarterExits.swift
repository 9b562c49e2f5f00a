import Fluent
import SQLKit

/// The quarter's exits: a sheet forwarded unreported (未开展自查), a review closed after the panel's deadline,
/// and opinions that conflict only with a change to their own item.
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
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AssessmentOpinion.schema).deleteField("changed_at_version").update()
        try await database.schema(Assessment.schema).deleteField("review_late").update()
        try await database.schema(Assessment.schema).deleteField("self_reported").update()
    }
}
