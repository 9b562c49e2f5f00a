import Fluent
import KaoheCore
import Vapor

/// 考核期: one quarter, bound for ever to the rubric versions it was opened with.
final class Period: Model, @unchecked Sendable {
    static let schema = "periods"

    enum State: String, Codable, Sendable {
        /// Sheets exist; units self-assess, the panel reviews.
        case open
        /// Results are out (公布); the objection window runs.
        case published
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    /// `2026Q3`.
    @Field(key: "code") var code: String
    @Field(key: "year") var year: Int
    @Field(key: "quarter") var quarter: Int
    @Field(key: "state") var state: State
    @Field(key: "self_deadline") var selfDeadline: String
    @Field(key: "panel_deadline") var panelDeadline: String
    /// The rubric version each level is assessed by (党支部, 党小组, 党员).
    @Parent(key: "branch_rubric_id") var branchRubric: RubricVersion
    @OptionalParent(key: "group_rubric_id") var groupRubric: RubricVersion?
    @OptionalParent(key: "member_rubric_id") var memberRubric: RubricVersion?
    @Field(key: "created_by") var createdBy: String
    /// 公布: when the results went out, and that day in the bureau's calendar (the objection window counts from it).
    @OptionalField(key: "published_at") var publishedAt: Date?
    @OptionalField(key: "published_on") var publishedOn: String?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [$id, $createdAt, $code, $year, $quarter, $state, $selfDeadline, $panelDeadline, $branchRubric, $groupRubric,
         $memberRubric, $createdBy, $publishedAt, $publishedOn]
    }

    init() {}
}

/// 考核表: one unit's sheet in one period.
final class Assessment: Model, @unchecked Sendable {
    static let schema = "assessments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "period_id") var period: Period
    @Field(key: "unit_code") var unitCode: String
    /// branch, group or member: which of the period's rubrics applies; stored as its name, as `Unit.kind` is.
    @Field(key: "level") var level: Unit.Kind
    @Parent(key: "rubric_version_id") var rubric: RubricVersion
    /// Where the sheet stands in the workflow (办法 四), stored as its name (`underReview`).
    @Field(key: "state") var state: AssessmentState
    /// Raised by every change; a save carrying an older number is refused (409), not merged.
    @Field(key: "version") var version: Int
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    @Field(key: "late") var late: Bool
    /// False for a sheet the organizer forwarded after the deadline without a self-report (未开展自查).
    @Field(key: "self_reported") var selfReported: Bool
    /// The panel closed its review after its deadline (办法 四(四)).
    @Field(key: "review_late") var reviewLate: Bool
    /// 自查分: the engine's score block at submission, as JSON.
    @OptionalField(key: "self_score") var selfScore: String?

    /// The day its result went out (公布, or 备案 for a group's or member's sheet); the objection window counts from it.
    @OptionalField(key: "published_on") var publishedOn: String?
    /// The score block as last published, as JSON: the board shows it, and keeps showing it while an upheld
    /// objection re-reviews the sheet, until the new result is published.
    @OptionalField(key: "published_score") var publishedScore: String?
    /// 行政考核基数奖金 of the unit's secretary (办法 七(一)), Decimal as text, and who set it when.
    @OptionalField(key: "base_bonus") var baseBonus: String?
    @OptionalField(key: "base_bonus_by") var baseBonusBy: String?
    @OptionalField(key: "base_bonus_at") var baseBonusAt: Date?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [$id, $period, $unitCode, $level, $rubric, $state, $version, $submittedAt, $late, $selfReported, $reviewLate,
         $selfScore, $publishedOn, $publishedScore, $baseBonus, $baseBonusBy, $baseBonusAt]
    }

    init() {
        selfReported = true
        reviewLate = false
    }
}

extension Assessment {
    /// The sheet's entries, as a query. Not a `@Children` property: Fluent builds a new sheet and reflects on it for
    /// each such property of each row it reads, and the boards read sheets by the thousand.
    func entries(on db: any Database) throws -> QueryBuilder<AssessmentEntry> {
        AssessmentEntry.query(on: db).filter(\.$assessment.$id == (try requireID()))
    }

    /// The sheet's entries in the order they were made, as its document lists them: one hand-written query.
    func entriesInOrder(on db: any Database) async throws -> [AssessmentEntry] {
        try await db.rows(AssessmentEntry.self, """
            SELECT * FROM \(ident: AssessmentEntry.schema) WHERE assessment_id = \(bind: try requireID()) ORDER BY created_at
            """)
    }

    /// The entries of many sheets by sheet, read in batches.
    static func entries(of sheets: [UUID], on db: any Database) async throws -> [UUID: [AssessmentEntry]] {
        var entries: [UUID: [AssessmentEntry]] = [:]
        for batch in sheets.chunked(into: 5_000) {
            for entry in try await AssessmentEntry.query(on: db).filter(\.$assessment.$id ~~ Array(batch)).all() {
                entries[entry.$assessment.id, default: []].append(entry)
            }
        }
        return entries
    }
}

/// 扣分/加分记录: one application of a rule. Nothing is deleted once the sheet is submitted: entries are
/// withdrawn, with who and why.
final class AssessmentEntry: Model, @unchecked Sendable {
    static let schema = "assessment_entries"

    enum Stage: String, Codable, Sendable {
        case selfAssessment = "self"
        case panel
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "assessment_id") var assessment: Assessment
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
    @OptionalField(key: "source") var source: String?
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
        [$id, $createdAt, $assessment, $rule, $count, $points, $caseText, $note, $selfFound, $corrected, $mitigation,
         $stage, $createdBy, $withdrawn, $withdrawnBy, $withdrawnReason, $source, $reportedOn, $mitigationDecision,
         $mitigationDecisionReason, $mitigationDecidedBy]
    }

    enum MitigationDecision: String, Codable, Sendable {
        case confirmed, refused

        var label: String { self == .confirmed ? "考核小组认可" : "考核小组不予认可" }
    }

    init() {}
}
