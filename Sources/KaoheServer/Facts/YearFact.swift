import Fluent
import Foundation
import KaoheCore

/// One yearly fact the 细则 counts, kept where it arises (issue 28): a member's 民主评议 result or 部门考核 result
/// (on the member), a unit's 党员测评满意率, or one 内审 finding (on the branch). A member's result and a unit's rate
/// are one a year (`slot` empty; saving again replaces it); findings are many (`slot` is their own id).
final class YearFact: Model, @unchecked Sendable {
    static let schema = "year_facts"

    enum Kind: String, Codable, Sendable, CaseIterable {
        case appraisal, review, satisfaction, finding

        var label: String {
            switch self {
            case .appraisal: "民主评议"
            case .review: "部门考核"
            case .satisfaction: "党员测评满意率"
            case .finding: "内审发现"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "year") var year: Int
    @Enum(key: "kind") var kind: Kind
    @Field(key: "slot") var slot: String
    /// The result's key (`qualified`, `competent`), the rate (`92.5`) or the finding's kind (`observation`).
    @Field(key: "value") var value: String
    /// The survey's or the audit's day, `yyyy-MM-dd`.
    @OptionalField(key: "day") var day: String?
    @OptionalField(key: "note") var note: String?
    @Field(key: "recorded_by") var recordedBy: String

    var properties: [any AnyProperty] {
        [$id, $createdAt, $updatedAt, $unitCode, $year, $kind, $slot, $value, $day, $note, $recordedBy]
    }

    init() {}

    init(
        id: UUID? = nil, unit: String, year: Int, kind: Kind, slot: String = "", value: String, day: String?,
        note: String?, by actor: String
    ) {
        self.id = id
        unitCode = unit
        self.year = year
        self.kind = kind
        self.slot = slot
        self.value = value
        self.day = day
        self.note = note
        recordedBy = actor
    }
}
