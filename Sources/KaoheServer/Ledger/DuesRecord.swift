import Fluent
import Foundation

/// 党费 (细则 2.8): one month of a branch's dues — its hand-over to the organizer, and who recorded it last.
/// `version` refuses a stale save (two secretaries editing one month).
final class DuesRecord: Model, @unchecked Sendable {
    static let schema = "dues_months"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "unit_code") var unitCode: String
    /// `2026-08`.
    @Field(key: "month") var month: String
    /// The day the month's dues went to the organizer, `2026-08-12`.
    @OptionalField(key: "handed_over_on") var handedOverOn: String?
    @Field(key: "version") var version: Int
    @Field(key: "updated_by") var updatedBy: String

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $updatedAt, $unitCode, $month, $handedOverOn, $version, $updatedBy] }

    init() {}
}
