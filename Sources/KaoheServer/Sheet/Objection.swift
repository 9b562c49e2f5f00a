import Fluent
import Vapor

/// 考核意见: the panel's written opinion on one item of a sheet (办法 四(二) 逐项考核，并提出考核意见).
final class AssessmentOpinion: Model, @unchecked Sendable {
    static let schema = "assessment_opinions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "assessment_id") var assessment: Assessment
    /// The rubric item's id (`2.4`).
    @Field(key: "item") var item: String
    @Field(key: "text") var text: String
    @Field(key: "author") var author: String
    /// The sheet's version this item's opinion was last written at: a writer who read the sheet before it is
    /// refused, one who read it after any other item's change is not (panel members work side by side). An
    /// emptied opinion keeps its row (text "") so that a stale writer cannot bring it back unseen.
    @Field(key: "changed_at_version") var changedAtVersion: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $assessment, $item, $text, $author, $changedAtVersion, $updatedAt] }

    init() {
        changedAtVersion = 0
    }
}

/// 申诉: the one objection a unit may file against its published result, inside the window.
final class Objection: Model, @unchecked Sendable {
    static let schema = "objections"

    enum State: String, Codable, Sendable {
        case open
        /// 驳回: the result stands; the reason is given.
        case dismissed
        /// 受理: the review of the sheet is opened again.
        case upheld

        var label: String {
            switch self {
            case .open: "待处理"
            case .dismissed: "已驳回"
            case .upheld: "已受理，重新考核"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "assessment_id") var assessment: Assessment
    @Field(key: "reason") var reason: String
    @Field(key: "filed_by") var filedBy: String
    @Timestamp(key: "filed_at", on: .create) var filedAt: Date?
    @Field(key: "state") var state: State
    @OptionalField(key: "decided_by") var decidedBy: String?
    @OptionalField(key: "decision_reason") var decisionReason: String?
    @OptionalField(key: "decided_at") var decidedAt: Date?
    /// The outcome: the published total and grade when it was decided, and after the result it led to was
    /// published (the same for a dismissed objection).
    @OptionalField(key: "before_total") var beforeTotal: String?
    @OptionalField(key: "before_grade") var beforeGrade: String?
    @OptionalField(key: "after_total") var afterTotal: String?
    @OptionalField(key: "after_grade") var afterGrade: String?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [$id, $assessment, $reason, $filedBy, $filedAt, $state, $decidedBy, $decisionReason, $decidedAt,
         $beforeTotal, $beforeGrade, $afterTotal, $afterGrade]
    }

    init() {}
}
