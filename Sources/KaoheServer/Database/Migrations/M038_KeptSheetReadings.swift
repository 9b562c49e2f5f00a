import Fluent
import SQLKit

/// A draft sheet's reading of the records, kept for the day, and the epochs that say whether it is still current
/// (issue 29). Both derived: a new table starts empty and every reading is counted at its first read.
struct M038_KeptSheetReadings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(LedgerEpoch.schema)
            .id()
            .field("unit_code", .string, .required)
            .field("epoch", .int64, .required)
            .unique(on: "unit_code")
            .create()
        try await database.schema(KeptSheetReading.schema)
            .id()
            .field("assessment_id", .uuid, .required)
            .field("as_of", .string, .required)
            .field("rubric_version_id", .uuid, .required)
            .field("unit_epoch", .int64, .required)
            .field("bureau_epoch", .int64, .required)
            .field("reading", .string, .required)
            .field("counted_at", .datetime)
            .unique(on: "assessment_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(KeptSheetReading.schema).delete()
        try await database.schema(LedgerEpoch.schema).delete()
    }
}
