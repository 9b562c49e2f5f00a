import Fluent
import Foundation

/// One rating of the yearly selection (办法 七(二)), 0–100: a unit's 自评 of itself, one unit's 互评 of another, or
/// the panel's 考评 (rater `panel`). Entered again, it replaces the earlier one.
final class AnnualEvaluation: Model, @unchecked Sendable {
    static let schema = "annual_evaluations"

    enum Kind: String, Codable, CaseIterable, Sendable {
        case selfRating = "self"
        case peer
        case panel
    }

    /// The rater of the panel's 考评.
    static let panelRater = "panel"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "level") var level: Unit.Kind
    @Field(key: "kind") var kind: Kind
    @Field(key: "rater") var rater: String
    @Field(key: "unit_code") var unitCode: String
    /// Decimal as text.
    @Field(key: "score") var score: String
    @Field(key: "entered_by") var enteredBy: String
    @Field(key: "entered_at") var enteredAt: Date

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [$id, $year, $level, $kind, $rater, $unitCode, $score, $enteredBy, $enteredAt]
    }

    init() {}
}
