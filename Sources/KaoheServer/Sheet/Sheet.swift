import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 考核表: one unit's sheet in one period.
final class Sheet: Model, @unchecked Sendable {
    static let schema = "assessments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "period_id") var period: Period
    @Field(key: "unit_code") var unitCode: String
    /// branch, group or member: which of the period's rubrics applies; stored as its name, as `Unit.kind` is.
    @Field(key: "level") var level: Unit.Kind
    @Parent(key: "rubric_version_id") var rubric: RubricVersion
    /// Where the sheet stands in the workflow (办法 四), stored as its name (`underReview`).
    @Field(key: "state") var state: SheetState
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
    /// 办法 四(二): the panel's overall 考核意见, required when it closes its review.
    @OptionalField(key: "opinion") var opinion: String?

    /// The day its result went out (公布, or 备案 for a group's or member's sheet); the objection window counts from it.
    @OptionalField(key: "published_on") var publishedOn: String?
    /// The score block as last published, as JSON: the board shows it, and keeps showing it while an upheld
    /// objection re-reviews the sheet, until the new result is published.
    @OptionalField(key: "published_score") var publishedScore: String?
    /// 行政考核基数奖金 of the unit's secretary (办法 七(一)), Decimal as text, and who set it when.
    @OptionalField(key: "base_bonus") var baseBonus: String?
    @OptionalField(key: "base_bonus_by") var baseBonusBy: String?
    @OptionalField(key: "base_bonus_at") var baseBonusAt: Date?
    /// The units above the sheet's unit in its quarter, nearest first, space-separated (`PlacesThen`): a moved
    /// member's past sheet is read and assessed where it was. Nil for sheets opened before it was kept (today's tree).
    @OptionalField(key: "above") var above: String?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [
            $id, $period, $unitCode, $level, $rubric, $state, $version, $submittedAt, $late, $selfReported, $reviewLate,
            $selfScore, $opinion, $publishedOn, $publishedScore, $baseBonus, $baseBonusBy, $baseBonusAt,
            $above,
        ]
    }

    init() {
        selfReported = true
        reviewLate = false
    }
}

extension Sheet {
    /// The sheet's entries, as a query. Not a `@Children` property: Fluent builds a new sheet and reflects on it for
    /// each such property of each row it reads, and the boards read sheets by the thousand.
    func entries(on db: any Database) throws -> QueryBuilder<SheetEntry> {
        SheetEntry.query(on: db).filter(\.$sheet.$id == (try requireID()))
    }

    /// The sheet's entries in the order they were made, as its document lists them: one hand-written query.
    func entriesInOrder(on db: any Database) async throws -> [SheetEntry] {
        try await db.sql.raw(
            """
            SELECT * FROM \(ident: SheetEntry.schema) WHERE assessment_id = \(bind: try requireID()) ORDER BY created_at
            """
        ).all().map(SheetEntry.init(row:))
    }

    /// The entries in force of many sheets by sheet, as the engine scores them (`Entry`): only the columns it reads,
    /// read by hand. A board scores fifty sheets and a deadline day's sheets hold dozens of entries each; read as
    /// models, they were most of the open quarter's dashboard.
    static func scoredEntries(of sheets: [UUID], on db: any Database) async throws -> [UUID: [Entry]] {
        var entries: [UUID: [Entry]] = [:]
        for batch in sheets.chunked(into: 5_000) {
            let rows = try await db.sql.raw(
                """
                SELECT assessment_id, rule, count, points, case_text, note, self_found, corrected, mitigation,
                  mitigation_decision
                FROM \(ident: SheetEntry.schema)
                WHERE assessment_id IN (\(SQLList(batch.map { SQLBind($0) }))) AND withdrawn = \(bind: false)
                ORDER BY created_at
                """
            ).all()
            for row in rows {
                entries[try row.decode(column: "assessment_id", as: UUID.self), default: []].append(
                    Sheets.entry(
                        rule: try row.decode(column: "rule", as: String.self),
                        count: try row.decode(column: "count", as: Int?.self),
                        points: try row.decode(column: "points", as: String?.self),
                        caseText: try row.decode(column: "case_text", as: String?.self),
                        note: try row.decode(column: "note", as: String?.self),
                        selfFound: try row.decode(column: "self_found", as: Bool.self),
                        corrected: try row.decode(column: "corrected", as: Bool.self),
                        asked: try row.decode(column: "mitigation", as: Mitigation.self),
                        decision: try row.decode(column: "mitigation_decision", as: SheetEntry.MitigationDecision?.self)
                    ))
            }
        }
        return entries
    }
}
