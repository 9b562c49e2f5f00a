import Fluent
import Foundation
import KaoheCore

/// 活动台账: one record of a meeting, lecture, study day, dues handover, report or visit held by a unit.
/// Records are kept, never edited: the ledger is evidence the rubric counts. A mistaken record is withdrawn,
/// with who and why, and no longer counts.
final class Activity: Model, @unchecked Sendable {
    static let schema = "activities"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Field(key: "unit_code") var unitCode: String
    @Field(key: "type") var type: ActivityType
    /// The day it was held, `2026-07-06`.
    @Field(key: "date") var date: String
    @Field(key: "topic") var topic: String
    /// On a branch's ledger, the 党小组 the record was held by (a 党小组会, a group's 组织活动): it counts for that
    /// group alone. Nil for what the whole unit held.
    @OptionalField(key: "group_code") var groupCode: String?
    /// Member codes (党员 of the unit or its groups), one per line: who attended, who was absent without leave
    /// (无故缺席, counted on their sheet), who was absent with leave (请假, not counted).
    @Field(key: "attendees") var attendees: String
    @Field(key: "absent") var absent: String
    @Field(key: "excused") var excused: String
    @Field(key: "created_by") var createdBy: String
    @Field(key: "withdrawn") var withdrawn: Bool
    @OptionalField(key: "withdrawn_by") var withdrawnBy: String?
    @OptionalField(key: "withdrawn_reason") var withdrawnReason: String?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [
            $id, $createdAt, $unitCode, $type, $date, $topic, $groupCode, $attendees, $absent, $excused, $createdBy,
            $withdrawn,
            $withdrawnBy,
            $withdrawnReason,
        ]
    }

    init() {}

    /// The year of its day (`date` is `2026-03-03`).
    var year: Int { Int(date.prefix(4)) ?? 0 }

    /// Whether the record counts for `group` of its branch: the group's own, or what the whole branch held.
    func counts(for group: String, of branch: String) -> Bool {
        unitCode == group || (unitCode == branch && (groupCode == nil || groupCode == group))
    }

    /// The codes of a people column.
    static func codes(_ column: String) -> [String] { column.split(separator: "\n").map(String.init) }
}
