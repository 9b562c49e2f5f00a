import Fluent
import KaoheCore
import Vapor

extension Period {
    /// The rubric versions a quarter is bound to, one per level (groups and members may have none yet).
    struct Rubrics {
        let branch: RubricVersion
        let group: RubricVersion?
        let member: RubricVersion?
    }

    /// A new open quarter: its deadlines as chosen, or else from the branch rubric's schedule. A panel deadline
    /// before the self-report one is a `ValidationProblem`.
    convenience init(_ quarter: Quarter, rubrics: Rubrics, deadlines: SheetDeadlines.Chosen, actor: String) throws {
        self.init()
        let schedule = try RubricStore.rubric(of: rubrics.branch).schedule
        let selfDeadline = deadlines.selfReport ?? schedule.selfReportDeadline(for: quarter)
        let panelDeadline = deadlines.panelReview ?? schedule.panelReviewDeadline(for: quarter)
        guard selfDeadline <= panelDeadline else {
            throw ValidationProblem(
                field: "panelDeadline",
                rule: "考核截止日不能早于自查报送截止日 \(selfDeadline) (must not be before the self-report deadline)")
        }
        code = quarter.code
        year = quarter.year
        self.quarter = quarter.quarter
        state = .open
        self.selfDeadline = selfDeadline.description
        self.panelDeadline = panelDeadline.description
        $branchRubric.id = try rubrics.branch.requireID()
        $groupRubric.id = try rubrics.group?.requireID()
        $memberRubric.id = try rubrics.member?.requireID()
        createdBy = actor
    }
}

extension Sheet {
    /// A unit's empty sheet in a new quarter, in `draft`, on its level's rubric. Its id is set here, so that entries
    /// can name it before it is saved (the generator writes both in batches).
    /// - Parameter above: the units above it in the quarter (`PlacesThen.above`).
    convenience init(draftOf unit: Unit, in period: Period, rubric: RubricVersion, above: [String]? = nil) throws {
        self.init()
        id = UUID()
        $period.id = try period.requireID()
        unitCode = unit.code
        level = unit.kind
        $rubric.id = try rubric.requireID()
        state = .draft
        version = 1
        late = false
        self.above = above?.joined(separator: " ")
    }
}

extension SheetEntry {
    /// The row that keeps a checked entry on a sheet, at the stage it was made.
    convenience init(_ entry: Entry, details: Sheets.EntryDetails, on sheet: Sheet, stage: Stage, actor: String) throws
    {
        self.init()
        source = details.source
        reportedOn = details.reportedOn?.description
        $sheet.id = try sheet.requireID()
        rule = entry.rule
        count = entry.count
        points = entry.points.map { "\($0)" }
        caseText = entry.caseText
        note = entry.note
        selfFound = entry.selfFound
        corrected = entry.corrected
        mitigation = entry.mitigation
        self.stage = stage
        createdBy = actor
        withdrawn = false
    }
}
