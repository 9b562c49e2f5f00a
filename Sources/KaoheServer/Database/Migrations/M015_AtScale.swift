import Fluent
import SQLKit

/// A city's bureau system (issue 12): the indexes every lookup by a parent row needs once there are 56,000 units and
/// a quarter of sheets each, and the stored results of a published quarter (`period_results`).
struct M015_AtScale: AsyncMigration {
    /// Each index: its name, its table and its columns, in the order lookups filter by them.
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("entries_by_sheet", SheetEntry.schema, ["assessment_id"]),
        ("opinions_by_sheet", "assessment_opinions", ["assessment_id"]),
        ("objections_by_sheet", "objections", ["assessment_id"]),
        ("evidence_by_sheet", "evidence", ["assessment_id"]),
        ("sheets_by_level", Sheet.schema, ["period_id", "level", "unit_code"]),
        ("units_by_parent", Unit.schema, ["parent_code", "sort_order"]),
        ("activities_by_unit", Activity.schema, ["unit_code", "date"]),
        ("grants_by_unit", RoleGrant.schema, ["unit_code"]),
        ("audit_by_subject", AuditEvent.schema, ["subject"]),
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema(StoredResults.schema)
            .id()
            .field("period_id", .uuid, .required, .references(Period.schema, .id))
            .field("level", .string, .required)
            .field("rows", .string, .required)
            .field("computed_at", .datetime)
            .unique(on: "period_id", "level")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        for index in Self.indexes {
            var create = sql.create(index: index.name).on(index.table)
            for column in index.columns { create = create.column(column) }
            try await create.run()
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            for index in Self.indexes { try await sql.drop(index: index.name).run() }
        }
        try await database.schema(StoredResults.schema).delete()
    }
}
