import Fluent
import SQLKit

/// The quarter's exits: a sheet forwarded unreported (未开展自查), a review closed after the panel's deadline,
/// opinions that conflict only with a change to their own item, the result as published (kept on the board while
/// an upheld objection is re-reviewed) and an objection's outcome; an entry's evidence source, the day a larger
/// problem was reported to the 总支书记, and the panel's decision on a unit's mitigation (办法 三(二), 五).
struct M013_QuarterExits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Sheet.schema)
            .field("self_reported", .bool, .required, .sql(.default(true)))
            .update()
        try await database.schema(Sheet.schema)
            .field("review_late", .bool, .required, .sql(.default(false)))
            .update()
        try await database.schema(SheetOpinion.schema)
            .field("changed_at_version", .int, .required, .sql(.default(0)))
            .update()
        try await database.schema(Sheet.schema).field("published_score", .string).update()
        for field in ["before_total", "before_grade", "after_total", "after_grade"] {
            try await database.schema(Objection.schema).field(FieldKey(stringLiteral: field), .string).update()
        }
        for field in Self.entryFields {
            try await database.schema(SheetEntry.schema).field(FieldKey(stringLiteral: field), .string).update()
        }
    }

    static let entryFields = [
        "source", "reported_on", "mitigation_decision", "mitigation_decision_reason", "mitigation_decided_by",
    ]

    func revert(on database: any Database) async throws {
        for field in Self.entryFields {
            try await database.schema(SheetEntry.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
        for field in ["before_total", "before_grade", "after_total", "after_grade"] {
            try await database.schema(Objection.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
        try await database.schema(Sheet.schema).deleteField("published_score").update()
        try await database.schema(SheetOpinion.schema).deleteField("changed_at_version").update()
        try await database.schema(Sheet.schema).deleteField("review_late").update()
        try await database.schema(Sheet.schema).deleteField("self_reported").update()
    }
}
