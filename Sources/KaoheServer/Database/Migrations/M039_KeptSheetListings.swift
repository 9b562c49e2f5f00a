import Fluent
import SQLKit

/// 台账对照's part of a kept reading as the API writes it, beside the sheet's part (issue 29): the whole bureau's
/// view is then written from the kept texts, not decoded and encoded again. The readings kept before it are
/// forgotten, being derived, and each is counted again at its next read.
struct M039_KeptSheetListings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.sql.raw("DELETE FROM \(ident: KeptSheetReading.schema)").run()
        try await database.schema(KeptSheetReading.schema).field("listing", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(KeptSheetReading.schema).deleteField("listing").update()
    }
}
