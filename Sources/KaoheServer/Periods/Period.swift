import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 考核期: one quarter, bound for ever to the rubric versions it was opened with.
final class Period: Model, @unchecked Sendable {
    static let schema = "periods"

    enum State: String, Codable, Sendable {
        /// Sheets exist; units self-assess, the panel reviews.
        case open
        /// Results are out (公布); the objection window runs.
        case published
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    /// `2026Q3`.
    @Field(key: "code") var code: String
    @Field(key: "year") var year: Int
    @Field(key: "quarter") var quarter: Int
    @Field(key: "state") var state: State
    @Field(key: "self_deadline") var selfDeadline: String
    @Field(key: "panel_deadline") var panelDeadline: String
    /// The rubric version each level is assessed by (党支部, 党小组, 党员).
    @Parent(key: "branch_rubric_id") var branchRubric: RubricVersion
    @OptionalParent(key: "group_rubric_id") var groupRubric: RubricVersion?
    @OptionalParent(key: "member_rubric_id") var memberRubric: RubricVersion?
    @Field(key: "created_by") var createdBy: String
    /// 公布: when the results went out, and that day in the bureau's calendar (the objection window counts from it).
    @OptionalField(key: "published_at") var publishedAt: Date?
    @OptionalField(key: "published_on") var publishedOn: String?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [
            $id, $createdAt, $code, $year, $quarter, $state, $selfDeadline, $panelDeadline, $branchRubric, $groupRubric,
            $memberRubric, $createdBy, $publishedAt, $publishedOn,
        ]
    }

    init() {}

    /// A stored period read by hand from its row (`SELECT *`, or its columns under a prefix through `PrefixedRow`):
    /// the start page, 台账对照 and every sheet's lookup read periods, and Fluent's decoding goes a property at a time.
    convenience init(row: any SQLRow) throws {
        self.init()
        id = try row.decode(column: "id", as: UUID.self)
        $id.exists = true
        createdAt = try row.decode(column: "created_at", as: Date?.self)
        code = try row.decode(column: "code", as: String.self)
        year = try row.decode(column: "year", as: Int.self)
        quarter = try row.decode(column: "quarter", as: Int.self)
        state = try row.decode(column: "state", as: State.self)
        selfDeadline = try row.decode(column: "self_deadline", as: String.self)
        panelDeadline = try row.decode(column: "panel_deadline", as: String.self)
        $branchRubric.id = try row.decode(column: "branch_rubric_id", as: UUID.self)
        $groupRubric.id = try row.decode(column: "group_rubric_id", as: UUID?.self)
        $memberRubric.id = try row.decode(column: "member_rubric_id", as: UUID?.self)
        createdBy = try row.decode(column: "created_by", as: String.self)
        publishedAt = try row.decode(column: "published_at", as: Date?.self)
        publishedOn = try row.decode(column: "published_on", as: String?.self)
    }

    /// Every period, the latest first, as the start page, the ledger and 台账对照 list them.
    static func newestFirst(on db: any Database) async throws -> [Period] {
        try await db.sql.raw("SELECT * FROM \(ident: schema) ORDER BY year DESC, quarter DESC").all().map(
            Period.init(row:))
    }
}
