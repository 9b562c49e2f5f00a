import Fluent
import KaoheCore
import Vapor

/// One quarter at a glance: every sheet the viewer may see, its state, deadline, submission, lateness, score so
/// far and who acts next — branches first, then the groups and members with their branch.
struct PeriodDashboardPage: Encodable {
    struct Line: Encodable {
        let unit: String
        let name: String
        let branch: String?
        let levelLabel: String
        let stateLabel: String
        let selfDeadline: String
        let countdown: Countdown?
        let submittedAt: String?
        let late: Bool
        /// Forwarded without a self-report (未开展自查); the panel closed its review after its deadline.
        let unreported: Bool
        let reviewLate: Bool
        let total: String
        let grade: String
        let gradeLabel: String
        let bonus: String
        let next: String
        /// What the viewer must do on it now, when anything.
        let todo: String?
        /// The moves the viewer may make from here without opening the sheet (a return needs its reason,
        /// written on the sheet), with the version seen so a stale click is refused.
        let moves: [SheetPage.Action]
        let version: Int
        let href: String
    }

    let chrome: PageChrome
    let period: String
    let periodLabel: String
    let stateLabel: String
    let rubric: String
    let selfDeadline: String
    let panelDeadline: String
    let branches: [Line]
    let units: [Line]
    let mayApprove: Bool
    let mayOpen: Bool

    static func query(_ period: Period, on req: Request) async throws -> PeriodDashboardPage {
        let user = try req.auth.require(User.self)
        let board = try await PeriodSheets.load(period, for: user, on: req.db)
        let today = BureauCalendar.today()
        let lines = board.sheets.map { line(for: $0, in: board, today: today) }
        let roles = try await Access.roles(of: user, on: req.db).filter { $0.unitCode == OrgTree.rootCode }.map(\.role)
        let rubric = try await period.$branchRubric.get(on: req.db)
        return PeriodDashboardPage(
            chrome: try await PageChrome.make("\(period.code) 考核期", req),
            period: period.code, periodLabel: Quarter(code: period.code)?.label ?? period.code,
            stateLabel: PeriodsPage.stateLabel(period.state), rubric: "\(rubric.title)（第 \(rubric.number) 版）",
            selfDeadline: period.selfDeadline, panelDeadline: period.panelDeadline,
            branches: zip(board.sheets, lines).filter { $0.0.row.level == Unit.Kind.branch.rawValue }.map(\.1),
            units: zip(board.sheets, lines).filter { $0.0.row.level != Unit.Kind.branch.rawValue }.map(\.1),
            mayApprove: roles.contains { Policy.approvers.contains($0) },
            mayOpen: roles.contains { Policy.periodOpeners.contains($0) })
    }

    static func line(for sheet: PeriodSheets.Sheet, in board: PeriodSheets, today: CalendarDay) -> Line {
        let deadline = SheetDeadlines.selfReport(sheet.row, rubric: sheet.rubric, period: board.period)
        let waiting = sheet.state == .draft
        return Line(
            unit: sheet.row.unitCode, name: sheet.name,
            branch: sheet.row.level == Unit.Kind.branch.rawValue ? nil : board.branch(of: sheet)?.name,
            levelLabel: sheet.unit?.kind.label ?? sheet.row.level,
            stateLabel: sheet.state.label,
            selfDeadline: deadline?.description ?? "—",
            countdown: waiting ? deadline.map { Countdown(to: $0, today: today) } : nil,
            submittedAt: sheet.row.submittedAt.map(PageFormat.dateTime),
            late: sheet.row.late,
            unreported: !sheet.row.selfReported, reviewLate: sheet.row.reviewLate,
            total: PageFormat.points(sheet.score.total), grade: sheet.score.grade.key, gradeLabel: sheet.score.grade.label,
            bonus: PageFormat.points(sheet.score.bonus),
            next: SheetTurn.next(sheet.state, level: sheet.row.level),
            todo: SheetTurn.todo(on: sheet.row, sheet.viewer),
            moves: SheetTurn.actions(on: sheet.row, sheet.viewer, selfReportPassed: deadline.map { today > $0 } ?? false)
                .filter { !Workflow.needsReason.contains($0) }.map { SheetPage.Action($0, on: sheet.state) },
            version: sheet.row.version,
            href: "/periods/\(board.period.code)/sheets/\(sheet.row.unitCode)")
    }
}
