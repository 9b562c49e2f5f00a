import Fluent
import KaoheCore
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
}
