import Fluent
import Foundation

/// A suggestion set aside with a reason (issue 13): kept on the sheet, shown to the panel, and not offered again
/// while the records say the same — a change in them makes a new suggestion.
final class SuggestionDismissal: Model, @unchecked Sendable {
    static let schema = "suggestion_dismissals"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "assessment_id") var sheet: Sheet
    @Field(key: "rule") var rule: String
    /// The suggestion as it was offered: its count and what the records said.
    @Field(key: "count") var count: Int
    @Field(key: "suggestion") var suggestion: String
    @Field(key: "reason") var reason: String
    @Field(key: "dismissed_by") var dismissedBy: String

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $createdAt, $sheet, $rule, $count, $suggestion, $reason, $dismissedBy] }

    init() {}
}
