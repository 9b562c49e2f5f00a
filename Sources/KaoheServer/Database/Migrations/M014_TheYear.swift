import Fluent
import SQLKit

/// 办法 七: each branch secretary's 行政考核基数奖金 on the quarter's sheet (who set it and when), and the vetoes
/// (一票否决) recorded on units, kept with their withdrawal; the yearly selection's 自评, 互评 and 考评 and the
/// 党总支综合评定 of each level.
struct M014_TheYear: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for field in ["base_bonus", "base_bonus_by"] {
            try await database.schema(Sheet.schema).field(FieldKey(stringLiteral: field), .string).update()
        }
        try await database.schema(Sheet.schema).field("base_bonus_at", .datetime).update()
        try await database.schema(VetoRecord.schema)
            .id()
            .field("unit_code", .string, .required)
            .field("veto", .string, .required)
            .field("year", .int, .required)
            .field("date", .string, .required)
            .field("reason", .string, .required)
            .field("evidence", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime, .required)
            .field("withdrawn_reason", .string)
            .field("withdrawn_by", .string)
            .field("withdrawn_at", .datetime)
            .create()
        try await database.schema(AnnualEvaluation.schema)
            .id()
            .field("year", .int, .required)
            .field("level", .string, .required)
            .field("kind", .string, .required)
            .field("rater", .string, .required)
            .field("unit_code", .string, .required)
            .field("score", .string, .required)
            .field("entered_by", .string, .required)
            .field("entered_at", .datetime, .required)
            .unique(on: "year", "level", "kind", "rater", "unit_code")
            .create()
        try await database.schema(AnnualDecision.schema)
            .id()
            .field("year", .int, .required)
            .field("level", .string, .required)
            .field("awards", .string, .required)
            .field("reason", .string)
            .field("decided_by", .string, .required)
            .field("decided_on", .string, .required)
            .unique(on: "year", "level")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "vetoes_by_year").on(VetoRecord.schema).column("year").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AnnualDecision.schema).delete()
        try await database.schema(AnnualEvaluation.schema).delete()
        try await database.schema(VetoRecord.schema).delete()
        for field in ["base_bonus_at", "base_bonus_by", "base_bonus"] {
            try await database.schema(Sheet.schema).deleteField(FieldKey(stringLiteral: field)).update()
        }
    }
}
