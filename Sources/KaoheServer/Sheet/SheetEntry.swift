import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 扣分/加分记录: one application of a rule. Nothing is deleted once the sheet is submitted: entries are
/// withdrawn, with who and why.
final class SheetEntry: Model, @unchecked Sendable {
    static let schema = "assessment_entries"

    enum Stage: String, Codable, Sendable {
        case selfAssessment = "self"
        case panel
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "assessment_id") var sheet: Sheet
    @Field(key: "rule") var rule: String
    @OptionalField(key: "count") var count: Int?
    /// Decimal as text, so both databases keep it exactly.
    @OptionalField(key: "points") var points: String?
    @OptionalField(key: "case_text") var caseText: String?
    @OptionalField(key: "note") var note: String?
    @Field(key: "self_found") var selfFound: Bool
    @Field(key: "corrected") var corrected: Bool
    /// 三(二)'s 从轻/不予扣分 as the unit asked for it.
    @Field(key: "mitigation") var mitigation: Mitigation
    @Field(key: "stage") var stage: Stage
    @Field(key: "created_by") var createdBy: String
    @Field(key: "withdrawn") var withdrawn: Bool
    @OptionalField(key: "withdrawn_by") var withdrawnBy: String?
    @OptionalField(key: "withdrawn_reason") var withdrawnReason: String?
    /// 办法 五: where the finding comes from (`Evidence.Source`), with or without a file.
    @OptionalField(key: "source") var source: Evidence.Source?
    /// 三(二): the day a larger problem the unit found itself was reported to the 总支书记.
    @OptionalField(key: "reported_on") var reportedOn: String?
    /// 三(二)'s 从轻/不予扣分 is the unit's request; the panel confirms or refuses it, with a reason. A refused
    /// mitigation scores as none.
    @OptionalField(key: "mitigation_decision") var mitigationDecision: MitigationDecision?
    @OptionalField(key: "mitigation_decision_reason") var mitigationDecisionReason: String?
    @OptionalField(key: "mitigation_decided_by") var mitigationDecidedBy: String?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [
            $id, $createdAt, $sheet, $rule, $count, $points, $caseText, $note, $selfFound, $corrected, $mitigation,
            $stage, $createdBy, $withdrawn, $withdrawnBy, $withdrawnReason, $source, $reportedOn, $mitigationDecision,
            $mitigationDecisionReason, $mitigationDecidedBy,
        ]
    }

    enum MitigationDecision: String, Codable, Sendable {
        case confirmed, refused

        var label: String { self == .confirmed ? "考核小组认可" : "考核小组不予认可" }
    }

    init() {}

    /// A stored entry read by hand from its row (`SELECT *`): Fluent's decoding of a model goes through its
    /// `DatabaseOutput` a property at a time, and a deadline day's draft holds dozens of entries read on every one of
    /// its requests (a quarter of the sheet's API). Marked as stored, as Fluent marks what it reads.
    convenience init(row: any SQLRow) throws {
        self.init()
        id = try row.decode(column: "id", as: UUID.self)
        $id.exists = true
        createdAt = try row.decode(column: "created_at", as: Date?.self)
        $sheet.id = try row.decode(column: "assessment_id", as: UUID.self)
        rule = try row.decode(column: "rule", as: String.self)
        count = try row.decode(column: "count", as: Int?.self)
        points = try row.decode(column: "points", as: String?.self)
        caseText = try row.decode(column: "case_text", as: String?.self)
        note = try row.decode(column: "note", as: String?.self)
        selfFound = try row.decode(column: "self_found", as: Bool.self)
        corrected = try row.decode(column: "corrected", as: Bool.self)
        mitigation = try row.decode(column: "mitigation", as: Mitigation.self)
        stage = try row.decode(column: "stage", as: Stage.self)
        createdBy = try row.decode(column: "created_by", as: String.self)
        withdrawn = try row.decode(column: "withdrawn", as: Bool.self)
        withdrawnBy = try row.decode(column: "withdrawn_by", as: String?.self)
        withdrawnReason = try row.decode(column: "withdrawn_reason", as: String?.self)
        source = try row.decode(column: "source", as: Evidence.Source?.self)
        reportedOn = try row.decode(column: "reported_on", as: String?.self)
        mitigationDecision = try row.decode(column: "mitigation_decision", as: MitigationDecision?.self)
        mitigationDecisionReason = try row.decode(column: "mitigation_decision_reason", as: String?.self)
        mitigationDecidedBy = try row.decode(column: "mitigation_decided_by", as: String?.self)
    }
}
