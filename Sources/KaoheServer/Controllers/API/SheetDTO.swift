import Fluent
import SQLKit
import KaoheCore
import Vapor

/// One entry as the API shows it.
struct EntryDTO: Content {
    let id: UUID
    let rule: String
    let count: Int?
    let points: Decimal?
    let `case`: String?
    let note: String?
    let selfFound: Bool
    let corrected: Bool
    let mitigation: String
    let stage: String
    let createdBy: String
    let createdAt: Date?
    let withdrawn: Bool
    let withdrawnReason: String?
    let evidence: [UUID]
    /// 办法 五: where the finding comes from.
    let source: String?
    /// 三(二): when a larger self-found problem was reported to the 总支书记.
    let reportedOn: String?
    /// The panel's decision on a mitigation the unit asked for: `confirmed` or `refused`, with its reason.
    let mitigationDecision: String?
    let mitigationDecisionReason: String?

    init(_ row: AssessmentEntry, evidence: [Evidence]) throws {
        id = try row.requireID()
        rule = row.rule
        count = row.count
        points = row.points.flatMap { Decimal(string: $0) }
        self.case = row.caseText
        note = row.note
        selfFound = row.selfFound
        corrected = row.corrected
        mitigation = row.mitigation.rawValue
        stage = row.stage.rawValue
        createdBy = row.createdBy
        createdAt = row.createdAt
        withdrawn = row.withdrawn
        withdrawnReason = row.withdrawnReason
        self.evidence = try evidence.filter { $0.$entry.id == row.id }.map { try $0.requireID() }
        source = row.source
        reportedOn = row.reportedOn
        mitigationDecision = row.mitigationDecision?.rawValue
        mitigationDecisionReason = row.mitigationDecisionReason
    }
}

/// One evidence file as the API shows it; its bytes are at `…/evidence/{id}`.
struct EvidenceDTO: Content {
    let id: UUID
    let name: String
    let type: String
    let size: Int
    let sha256: String
    let source: String
    let sourceLabel: String
    let entry: UUID?
    let objection: UUID?
    let uploadedBy: String

    init(_ evidence: Evidence) throws {
        id = try evidence.requireID()
        name = evidence.filename
        type = evidence.contentType
        size = evidence.size
        sha256 = evidence.sha256
        source = evidence.source.rawValue
        sourceLabel = evidence.source.label
        entry = evidence.$entry.id
        objection = evidence.$objection.id
        uploadedBy = evidence.uploadedBy
    }
}

struct ObjectionDTO: Content {
    let id: UUID
    let state: String
    let reason: String
    let filedBy: String
    let filedAt: Date?
    let decidedBy: String?
    let decision: String?
    let decidedAt: Date?
    /// The published total and grade when it was decided, and after: for an upheld objection, once the new
    /// result is published.
    let outcome: Outcome?

    struct Outcome: Content {
        let beforeTotal: String
        let beforeGrade: String
        let afterTotal: String?
        let afterGrade: String?
    }

    init(_ objection: Objection) throws {
        id = try objection.requireID()
        state = objection.state.rawValue
        reason = objection.reason
        filedBy = objection.filedBy
        filedAt = objection.filedAt
        decidedBy = objection.decidedBy
        decision = objection.decisionReason
        decidedAt = objection.decidedAt
        outcome = objection.beforeTotal.map {
            Outcome(beforeTotal: $0, beforeGrade: objection.beforeGrade ?? "", afterTotal: objection.afterTotal, afterGrade: objection.afterGrade)
        }
    }
}

/// An entry the records imply, for the secretary or the panel to accept (`contracts/api.md`).
struct SuggestionDTO: Content {
    let rule: String
    let count: Int
    let reason: String

    /// A suggestion under `rule` for `found` occurrences, less what entries under it already count (a rule applied
    /// once is suggested once); nil when nothing is left to suggest.
    static func remaining(_ rule: String, found: Int, reason: String, rubric: Rubric, entries: [AssessmentEntry]) -> SuggestionDTO? {
        let once = rubric.rule(id: rule)?.unit == .once
        let entered = entries.filter { $0.rule == rule && !$0.withdrawn }.map { $0.count ?? 1 }.saturatingSum()
        let count = (once ? min(found, 1) : found) - entered
        return count > 0 ? SuggestionDTO(rule: rule, count: count, reason: reason) : nil
    }

    /// Whether `dismissal` set this very suggestion aside: the same rule, count and records.
    func isSetAside(by dismissal: SuggestionDismissal) -> Bool {
        dismissal.rule == rule && dismissal.count == count && dismissal.suggestion == reason
    }
}

/// One requirement's window under way, as the sheet shows it.
struct PaceDTO: Content {
    let activity: String
    let rule: String
    let span: String
    let group: String?
    let needed: Int
    let recorded: Int
    let behind: Bool
    /// 党员大会 全年需 4 次，已 2 次.
    let text: String

    init(_ line: LedgerBook.Line) {
        activity = line.tally.requirement.activity.rawValue
        rule = line.tally.requirement.rule
        span = line.tally.window.span.rawValue
        group = line.group?.name
        needed = line.tally.needed
        recorded = line.tally.recorded
        behind = line.tally.behind
        text = (line.group.map { "\($0.name) " } ?? "") + line.tally.requirement.activity.label + " " + line.tally.pace
    }
}

/// A suggestion dismissed: what it said, why it was set aside, by whom and when.
struct DismissalDTO: Content {
    let rule: String
    let count: Int
    let suggestion: String
    let reason: String
    let dismissedBy: String
    let dismissedAt: Date?
    /// The records still say the same: the panel (or the unit, reconsidering) may still accept it.
    let current: Bool

    init(_ dismissal: SuggestionDismissal, current: Bool) {
        self.current = current
        rule = dismissal.rule
        count = dismissal.count
        suggestion = dismissal.suggestion
        reason = dismissal.reason
        dismissedBy = dismissal.dismissedBy
        dismissedAt = dismissal.createdAt
    }
}

/// The whole sheet (`GET …/assessments/{unit}`): entries, per-item opinions, evidence, the objection, the self
/// snapshot and the engine's score of the entries in force.
struct SheetDTO: Content {
    let period: String
    let unit: String
    let level: String
    let rubric: String
    let state: String
    let version: Int
    let late: Bool
    /// False when the organizer forwarded the sheet after its deadline without a self-report (未开展自查).
    let selfReported: Bool
    /// The panel closed its review after its deadline.
    let reviewLate: Bool
    let publishedOn: String?
    let entries: [EntryDTO]
    let opinions: [String: String]
    let evidence: [EvidenceDTO]
    let objection: ObjectionDTO?
    let suggestions: [SuggestionDTO]
    /// Suggestions set aside with a reason, kept for the panel to read.
    let dismissed: [DismissalDTO]
    /// The ledger's windows still running at the quarter's end: 全年需 4 次，已 2 次 (the year's shortfall is
    /// suggested in the fourth quarter; the earlier ones show the pace).
    let pace: [PaceDTO]
    let selfScore: UnitReport?
    let score: UnitReport

    /// What a sheet's document reads besides the sheet: its entries in order, its files, opinions and objection, and
    /// the year's vetoes in force.
    struct Parts: Sendable {
        let entries: [AssessmentEntry]
        let evidence: [Evidence]
        let opinions: [AssessmentOpinion]
        let objection: Objection?
        let struck: [String: [String]]

        /// The parts of `sheet`. PostgreSQL: in one query (`folded`); SQLite, where a query is a call, not a round
        /// trip: side by side.
        static func read(of sheet: Assessment, in period: Period, on db: any Database) async throws -> Parts {
            let id = try sheet.requireID()
            if db.sql.dialect.name == "postgresql" { return try await folded(of: id, in: period, on: db) }
            async let entries = sheet.entriesInOrder(on: db)
            async let evidence = db.rows(Evidence.self, """
                SELECT * FROM \(ident: Evidence.schema) WHERE assessment_id = \(bind: id) ORDER BY created_at
                """)
            async let opinions = db.rows(AssessmentOpinion.self, """
                SELECT * FROM \(ident: AssessmentOpinion.schema) WHERE assessment_id = \(bind: id) AND text <> ''
                """)
            async let objection = db.rows(Objection.self, """
                SELECT * FROM \(ident: Objection.schema) WHERE assessment_id = \(bind: id) LIMIT 1
                """)
            async let struck = Vetoes.struck(in: period.year, on: db)
            return try await Parts(entries: entries, evidence: evidence, opinions: opinions, objection: objection.first, struck: struck)
        }

        /// PostgreSQL: the five reads above as one query, a subquery each, their rows as JSON (`JSONRows`) — one
        /// round trip, parse and plan instead of five, on the read every sheet's request makes.
        private static func folded(of id: UUID, in period: Period, on db: any Database) async throws -> Parts {
            guard let row = try await db.sql.raw("SELECT \(foldedColumns(sheet: SQLBind(id), year: SQLBind(period.year)))").first() else {
                throw Abort(.internalServerError, reason: "sheet parts unread")
            }
            return try await folded(row, on: db)
        }

        /// The five reads as columns of one row (PostgreSQL): `sheet` and `year` are SQL naming the sheet's id and its
        /// period's year, a bind or a column of the query they join (`SheetLookup`'s, which reads them with its sheet).
        static func foldedColumns(sheet: any SQLExpression, year: any SQLExpression) -> SQLQueryString {
            """
            (SELECT json_agg(t ORDER BY t.created_at)::text FROM \(ident: AssessmentEntry.schema) t WHERE t.assessment_id = \(sheet)) AS parts_entries,
            (SELECT json_agg(t ORDER BY t.created_at)::text FROM \(ident: Evidence.schema) t WHERE t.assessment_id = \(sheet)) AS parts_evidence,
            (SELECT json_agg(t)::text FROM \(ident: AssessmentOpinion.schema) t WHERE t.assessment_id = \(sheet) AND t.text <> '') AS parts_opinions,
            (SELECT json_agg(t)::text FROM (SELECT * FROM \(ident: Objection.schema) WHERE assessment_id = \(sheet) LIMIT 1) t) AS parts_objection,
            (SELECT json_agg(t)::text FROM \(ident: VetoRecord.schema) t WHERE t.year = \(year) AND t.withdrawn_at IS NULL) AS parts_vetoes
            """
        }

        /// The parts from a row with `foldedColumns`.
        static func folded(_ row: any SQLRow, on db: any Database) async throws -> Parts {
            func models<M: Model>(_ column: String, _ model: M.Type) throws -> [M] {
                try JSONRows.rows(row.decode(column: "parts_" + column, as: String?.self)).map { try $0.decode(fluentModel: M.self) }
            }
            return Parts(entries: try models("entries", AssessmentEntry.self), evidence: try models("evidence", Evidence.self),
                         opinions: try models("opinions", AssessmentOpinion.self),
                         objection: try models("objection", Objection.self).first,
                         struck: try await Vetoes.struck(by: models("vetoes", VetoRecord.self), on: db))
        }
    }

    /// - Parameter parts: what the caller has read already (a workflow move reads them before it moves the sheet).
    static func load(_ sheet: Assessment, of period: Period, parts known: Parts? = nil, on db: any Database) async throws -> SheetDTO {
        let parts = if let known { known } else { try await Parts.read(of: sheet, in: period, on: db) }
        let (entries, evidence, opinions, objection, struck) = (parts.entries, parts.evidence, parts.opinions, parts.objection, parts.struck)
        let rubric = try await RubricStore.rubric(id: sheet.$rubric.id, on: db)
        let ledger = try await ledgerReading(sheet, entries: entries, rubric: rubric, period: period, on: db)
        let offered = lateSuggestions(sheet, entries: entries, rubric: rubric, period: period)
            + unreportedSuggestions(sheet, entries: entries, rubric: rubric, period: period) + ledger.suggestions
        let dismissals = try await SuggestionDismissal.query(on: db).filter(\.$assessment.$id == sheet.requireID())
            .sort(\.$createdAt).all()
        return SheetDTO(
            period: period.code, unit: sheet.unitCode, level: sheet.level.rawValue, rubric: try await RubricStore.label(id: sheet.$rubric.id, on: db),
            state: sheet.state.rawValue, version: sheet.version, late: sheet.late, selfReported: sheet.selfReported,
            reviewLate: sheet.reviewLate, publishedOn: sheet.publishedOn,
            entries: try entries.map { try EntryDTO($0, evidence: evidence) },
            opinions: Dictionary(opinions.map { ($0.item, $0.text) }, uniquingKeysWith: { a, _ in a }),
            evidence: try evidence.map(EvidenceDTO.init),
            objection: try objection.map(ObjectionDTO.init),
            suggestions: offered.filter { suggestion in !dismissals.contains(where: suggestion.isSetAside) },
            dismissed: dismissals.map { dismissal in DismissalDTO(dismissal, current: offered.contains { $0.isSetAside(by: dismissal) }) },
            pace: ledger.pace,
            selfScore: Sheets.selfSnapshot(of: sheet),
            score: try Sheets.report(sheet, rubricVersion: sheet.$rubric.id, entries: entries, rubric: rubric,
                                     vetoes: struck[sheet.unitCode] ?? []))
    }

    /// Everything the sheet is offered: a late or missing self-report, and what the ledger implies.
    static func suggestions(_ sheet: Assessment, entries: [AssessmentEntry], rubric: Rubric, period: Period,
                            on db: any Database) async throws -> [SuggestionDTO] {
        lateSuggestions(sheet, entries: entries, rubric: rubric, period: period)
            + unreportedSuggestions(sheet, entries: entries, rubric: rubric, period: period)
            + (try await ledgerReading(sheet, entries: entries, rubric: rubric, period: period, on: db)).suggestions
    }

    /// A late self-report suggests the rubric's own rule for it (细则 2.4 未及时上报), until an entry applies it.
    static func lateSuggestions(_ sheet: Assessment, entries: [AssessmentEntry], rubric: Rubric, period: Period) -> [SuggestionDTO] {
        guard sheet.late, let rule = rubric.schedule.lateRule, let deadline = SheetDeadlines.selfReport(sheet, rubric: rubric, period: period),
              !entries.contains(where: { $0.rule == rule && !$0.withdrawn }) else { return [] }
        return [SuggestionDTO(rule: rule, count: 1, reason: "自查结果晚于 \(deadline) 报送")]
    }

    /// A sheet forwarded without a self-report suggests the rubric's rule for it (细则 2.4 没有开展自查考核的).
    static func unreportedSuggestions(_ sheet: Assessment, entries: [AssessmentEntry], rubric: Rubric, period: Period) -> [SuggestionDTO] {
        guard !sheet.selfReported, let rule = rubric.schedule.noSelfReportRule,
              !entries.contains(where: { $0.rule == rule && !$0.withdrawn }) else { return [] }
        let deadline = SheetDeadlines.selfReport(sheet, rubric: rubric, period: period)?.description ?? "截止日"
        return [SuggestionDTO(rule: rule, count: 1, reason: "截至 \(deadline) 未报送自查结果，由组织委员转交考核小组（未开展自查）")]
    }

    /// What the ledger says while the sheet is being written: what it falls short of in the quarter, and the pace of
    /// the windows still running (`Ledger.reading`).
    static func ledgerReading(_ sheet: Assessment, entries: [AssessmentEntry], rubric: Rubric, period: Period,
                              on db: any Database) async throws -> Ledger.Reading {
        guard let quarter = Quarter(year: period.year, quarter: period.quarter),
              [.draft, .underReview].contains(sheet.state) else { return .init(suggestions: [], pace: []) }
        if sheet.level == .member {
            guard let member = try await Unit.query(on: db).filter(\.$code == sheet.unitCode).first() else { return .init(suggestions: [], pace: []) }
            let suggestions = try await MemberRecord.read(member, year: quarter.year, on: db)
                .suggestions(for: quarter, rubric: rubric, entries: entries, asOf: min(BureauCalendar.today(), quarter.lastDay))
            return .init(suggestions: suggestions, pace: [])
        }
        return try await Ledger.reading(for: sheet.unitCode, quarter: quarter, rubric: rubric, entries: entries,
                                        today: BureauCalendar.today(), on: db)
    }
}
