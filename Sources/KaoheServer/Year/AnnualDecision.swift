import Fluent
import Foundation

/// 党总支综合评定 of one level in one year: the units awarded, and why when they are not the proposal.
final class AnnualDecision: Model, @unchecked Sendable {
    static let schema = "annual_decisions"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "level") var level: Unit.Kind
    /// The awarded units' codes, as a JSON array.
    @Field(key: "awards") var awards: String
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "decided_by") var decidedBy: String
    @Field(key: "decided_on") var decidedOn: String

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $year, $level, $awards, $reason, $decidedBy, $decidedOn] }

    init() {}

    var awardedUnits: [String] { (try? JSONDecoder().decode([String].self, from: Data(awards.utf8))) ?? [] }
}
