import Fluent
import Vapor

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
    @Parent(key: "assessment_id") var sheet: Sheet
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
        [
            $id, $sheet, $reason, $filedBy, $filedAt, $state, $decidedBy, $decisionReason, $decidedAt,
            $beforeTotal, $beforeGrade, $afterTotal, $afterGrade,
        ]
    }

    init() {}
}
