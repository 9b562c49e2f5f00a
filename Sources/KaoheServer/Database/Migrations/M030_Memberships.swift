import Fluent
import SQLKit

/// The organisation over time (issue 28): a member's stretches in their groups, the day a member left the bureau's
/// organisation (nil: still in it), so that today's lists leave them out while their history stays, and the day a
/// unit added later is counted from by the ledger.
struct M030_Memberships: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Membership.schema)
            .id()
            .field("created_at", .datetime)
            .field("member_code", .string, .required)
            .field("group_code", .string, .required)
            .field("from_day", .string)
            .field("to_day", .string)
            .field("began_by", .string, .required)
            .field("began_note", .string)
            .field("ended_by", .string)
            .field("ended_note", .string)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "memberships_member").on(Membership.schema).column("member_code").run()
        try await sql.create(index: "memberships_group").on(Membership.schema).column("group_code").run()
        try await database.schema(Unit.schema).field("left_on", .string).update()
        try await database.schema(Unit.schema).field("counted_from", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Unit.schema).deleteField("counted_from").update()
        try await database.schema(Unit.schema).deleteField("left_on").update()
        try await database.schema(Membership.schema).delete()
    }
}
