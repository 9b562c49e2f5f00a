import Fluent
import Foundation
import KaoheCore

/// A unit's change from a day: renamed, moved (a 党小组 to another branch) or retired. It keeps what the unit was
/// before, so that its name and place on any earlier day can be read back: a published quarter keeps the name it was
/// published under, and a branch's past roster still holds a group that has since moved away.
final class UnitChange: Model, @unchecked Sendable {
    static let schema = "unit_changes"

    enum Action: String, Codable, Sendable, CaseIterable {
        case rename, move, retire

        var label: String {
            switch self {
            case .rename: "更名"
            case .move: "调整隶属"
            case .retire: "撤销"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "unit_code") var unitCode: String
    /// The first day of the new state, `yyyy-MM-dd`.
    @Field(key: "day") var day: String
    @Enum(key: "action") var action: Action
    /// The name until the day before `day`.
    @Field(key: "name_before") var nameBefore: String
    /// The parent until the day before `day`.
    @OptionalField(key: "parent_before") var parentBefore: String?
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "changed_by") var changedBy: String

    var properties: [any AnyProperty] {
        [$id, $createdAt, $unitCode, $day, $action, $nameBefore, $parentBefore, $reason, $changedBy]
    }

    init() {}

    init(_ action: Action, of unit: Unit, from day: CalendarDay, reason: String?, by actor: String) {
        unitCode = unit.code
        self.day = day.description
        self.action = action
        nameBefore = unit.name
        parentBefore = unit.parentCode
        self.reason = reason
        changedBy = actor
    }
}
