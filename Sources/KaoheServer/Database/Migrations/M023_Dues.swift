import Fluent
import SQLKit

/// 党费 (细则 2.8, issue 13): a branch's months and its members' payments. One record per unit and month, one
/// payment per member and month.
struct M023_Dues: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DuesRecord.schema)
            .id()
            .field("updated_at", .datetime)
            .field("unit_code", .string, .required)
            .field("month", .string, .required)
            .field("handed_over_on", .string)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .unique(on: "unit_code", "month")
            .create()
        try await database.schema(DuesPaymentRecord.schema)
            .id()
            .field("unit_code", .string, .required)
            .field("month", .string, .required)
            .field("member_code", .string, .required)
            .field("amount", .string, .required)
            .field("due", .string)
            .field("paid_on", .string)
            .field("signed", .bool, .required)
            .unique(on: "unit_code", "month", "member_code")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "dues_payments_by_member").on(DuesPaymentRecord.schema).column("member_code")
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DuesPaymentRecord.schema).delete()
        try await database.schema(DuesRecord.schema).delete()
    }
}
