import Fluent
import Foundation

/// One stretch of a member's belonging to a 党小组 (and so to its branch), from a day to a day. A member with no
/// stretch recorded has belonged to their group since before Kaohe kept the history; the first change records that
/// stretch and the next. Nothing is deleted: a transfer, a move or a removal ends one stretch and may begin another.
final class Membership: Model, @unchecked Sendable {
    static let schema = "memberships"

    /// How a stretch began or ended, as the contract's `action` names it.
    enum Action: String, Codable, Sendable, CaseIterable {
        /// Belonging since before the history was kept.
        case founding
        /// 转入 from another organisation.
        case transferIn
        /// To or from another 党小组 of the bureau.
        case move
        /// 转出 to another organisation.
        case transferOut
        /// Death or removal (出党、除名), with its reason.
        case remove

        var label: String {
            switch self {
            case .founding: "原有"
            case .transferIn: "转入"
            case .move: "调整党小组"
            case .transferOut: "转出"
            case .remove: "去世或除名"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "member_code") var memberCode: String
    @Field(key: "group_code") var groupCode: String
    /// The first day in the group, `yyyy-MM-dd`; nil: since before the history was kept.
    @OptionalField(key: "from_day") var from: String?
    /// The last day in the group; nil: still in it.
    @OptionalField(key: "to_day") var to: String?
    @Enum(key: "began_by") var beganBy: Action
    /// Where a 转入 came from.
    @OptionalField(key: "began_note") var beganNote: String?
    @OptionalField(key: "ended_by") var endedBy: Action?
    /// Where a 转出 went, or why a member was removed.
    @OptionalField(key: "ended_note") var endedNote: String?

    var properties: [any AnyProperty] {
        [$id, $createdAt, $memberCode, $groupCode, $from, $to, $beganBy, $beganNote, $endedBy, $endedNote]
    }

    init() {}

    init(member: String, group: String, from: String?, beganBy: Action, note: String? = nil) {
        self.memberCode = member
        self.groupCode = group
        self.from = from
        self.beganBy = beganBy
        self.beganNote = note
    }
}
