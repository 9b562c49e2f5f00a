import Fluent
import Foundation

/// 一票否决 (办法 七(二)): one event of the rubric's `vetoes` (V1…V5) recorded on a member, group or branch. It
/// disqualifies that unit and every unit above it up to the branch for the year of its date. A withdrawal keeps
/// the record, with who withdrew it and why.
final class VetoRecord: Model, @unchecked Sendable {
    static let schema = "vetoes"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_code") var unitCode: String
    /// The rubric's veto id, V1…V5.
    @Field(key: "veto") var veto: String
    @Field(key: "year") var year: Int
    @Field(key: "date") var date: String
    @Field(key: "reason") var reason: String
    /// The evidence files' ids, as a JSON array.
    @Field(key: "evidence") var evidence: String
    @Field(key: "recorded_by") var recordedBy: String
    @Field(key: "recorded_at") var recordedAt: Date
    @OptionalField(key: "withdrawn_reason") var withdrawnReason: String?
    @OptionalField(key: "withdrawn_by") var withdrawnBy: String?
    @OptionalField(key: "withdrawn_at") var withdrawnAt: Date?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [
            $id, $unitCode, $veto, $year, $date, $reason, $evidence, $recordedBy, $recordedAt, $withdrawnReason,
            $withdrawnBy, $withdrawnAt,
        ]
    }

    init() {}

    var inForce: Bool { withdrawnAt == nil }

    var evidenceIDs: [UUID] {
        ((try? JSONDecoder().decode([UUID].self, from: Data(evidence.utf8))) ?? [])
    }
}
