import Fluent
import KaoheCore
import SQLKit
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

    init(_ row: SheetEntry, evidence: [Evidence]) throws {
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
        source = row.source?.rawValue
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
            Outcome(
                beforeTotal: $0, beforeGrade: objection.beforeGrade ?? "", afterTotal: objection.afterTotal,
                afterGrade: objection.afterGrade)
        }
    }
}

/// An entry the records imply, for the secretary or the panel to accept (`contracts/api.md`).
struct SuggestionDTO: Content {
    let rule: String
    let count: Int
    let reason: String
}

extension SuggestionDTO {
    init(_ suggestion: Suggestion) {
        self.init(rule: suggestion.rule, count: suggestion.count, reason: suggestion.reason)
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

    init(_ pace: Pace) {
        activity = pace.activity.rawValue
        rule = pace.rule
        span = pace.span.rawValue
        group = pace.group
        needed = pace.needed
        recorded = pace.recorded
        behind = pace.behind
        text = pace.text
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

    init(_ dismissed: SheetDocument.Dismissal) {
        let dismissal = dismissed.record
        current = dismissed.current
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
    /// The panel's overall 考核意见, written at 考核完毕.
    let opinion: String?
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
}

extension SheetDTO {
    /// Encodes `document`: the sheet as `contracts/api.md` writes it.
    init(_ document: SheetDocument) throws {
        let sheet = document.sheet
        period = document.period.code
        unit = sheet.unitCode
        level = sheet.level.rawValue
        rubric = document.rubricLabel
        state = sheet.state.rawValue
        version = sheet.version
        late = sheet.late
        selfReported = sheet.selfReported
        reviewLate = sheet.reviewLate
        publishedOn = sheet.publishedOn
        entries = try document.entries.map { try EntryDTO($0, evidence: document.evidence) }
        opinions = document.opinions
        opinion = sheet.opinion
        evidence = try document.evidence.map(EvidenceDTO.init)
        objection = try document.objection.map(ObjectionDTO.init)
        suggestions = document.suggestions.map(SuggestionDTO.init)
        dismissed = document.dismissed.map(DismissalDTO.init)
        pace = document.pace.map(PaceDTO.init)
        selfScore = document.selfScore
        score = document.score
    }

}
