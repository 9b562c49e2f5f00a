import Fluent
import KaoheCore
import SQLKit
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
    /// The rows of the branches' table and of the groups' and members', as HTML (`DashboardRows`).
    let branchRows: String
    let unitRows: String
    let mayApprove: Bool
    /// A branch secretary or a group leader files the sheets below them in one step (`FilingController`).
    let mayFile: Bool
    /// What a step taken from the board did, and who acts next.
    let notice: String?
    let mayOpen: Bool
    /// The branches' sheets by state, drawn as a bar: where the quarter stands at a glance.
    let progress: [StateCount]
    /// The branches' list a page at a time, found by name (`?q=`); the results board's pager.
    let board: ResultsPage.Board
    /// The branch whose groups and members are listed (`?branch=`), when the bureau is too large to list them all.
    let unitsOf: String?
    let unitsHint: String?
    /// The organizer's ways back from a slip: the deadlines moved and the quarter withdrawn (`PeriodChanges`).
    let changes: Changes

    struct Changes: Encodable {
        var notice: String?
        /// What was typed, shown again after a refusal; the period's own deadlines otherwise.
        var selfDeadline: String?
        var panelDeadline: String?
        var reason: String?
        /// Each refusal beside its field: `selfDeadline`, `panelDeadline`, `reason` of the deadlines' form, and the
        /// withdrawal's.
        var selfDeadlineError: String?
        var panelDeadlineError: String?
        var reasonError: String?
        var withdrawError: String?

        init(notice: String? = nil, typed: (String?, String?, String?)? = nil, problem: ValidationProblem? = nil) {
            self.notice = notice
            (selfDeadline, panelDeadline, reason) = typed ?? (nil, nil, nil)
            switch problem?.field {
            case "selfDeadline": selfDeadlineError = problem.map { PageFormat.message($0.rule) }
            case "panelDeadline": panelDeadlineError = problem.map { PageFormat.message($0.rule) }
            case "reason": reasonError = problem.map { PageFormat.message($0.rule) }
            default: break
            }
        }
    }

    struct StateCount: Encodable {
        let state: String
        let label: String
        let count: Int
        /// Where its part of the bar starts and how wide it is, of 1000.
        let x: Int
        let width: Int
    }

    /// Every group and member sheet is listed while a bureau has at most this many; beyond it, one branch's at a time.
    static let unitsListedWhole = 300

    static func query(_ period: Period, on req: Request, changes: Changes = .init(), notice: String? = nil)
        async throws -> PeriodDashboardPage
    {
        let user = try req.auth.require(User.self)
        let db = req.db
        let today = BureauCalendar.today()
        let grants = try await Access.roles(of: user, on: db)
        let roles = grants.filter { $0.unitCode == OrgTree.rootCode }.map(\.role)
        let search = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)

        let chosen = req.query[String.self, at: "branch"]
        // Whether the general branch's roles see every group and member at once is asked beside the branches' reads.
        async let lowerMany =
            chosen == nil && !roles.isEmpty ? Self.lowerSheetsExceed(Self.unitsListedWhole, in: period, on: db) : false
        // Branches: the database counts those the viewer may see and pages them; only the page shown is loaded.
        let index = try await PeriodSheets.BranchIndex.read(period, for: user, search: search, on: db)
        let (window, board) = ResultsPage.Board.window(
            index.found, search: search, req: req, base: SiteURL.period(.init(period.code)).path)
        let pageCodes = try await index.codes(window, on: db)
        let branchPage = try await PeriodSheets.load(
            period, for: user, levels: [.branch], units: Set(pageCodes), on: db)
        // Groups and members: the viewer's own part of the tree, or one branch's when the bureau is large.
        let local = grants.filter { $0.unitCode != OrgTree.rootCode }.map(\.unitCode)
        let lowerLevels: Set<Unit.Kind> = [.group, .member]
        var scope: Set<String>?
        var unitsHint: String?
        if let chosen {
            scope = try await Access.unitsAndDescendants(of: [chosen], on: db)
        } else if !roles.isEmpty {
            if try await lowerMany {
                scope = []
                unitsHint = "党小组和党员考核表超过 \(Self.unitsListedWhole) 张：点党支部名称旁的“党小组与党员”查看该支部的。"
            }
        } else {
            scope = try await Access.unitsAndDescendants(of: local, on: db)
        }
        let lower =
            scope?.isEmpty == true
            ? nil
            : try await PeriodSheets.load(
                period, for: user, levels: lowerLevels, units: scope, under: chosen.map { [$0] } ?? local, on: db)
        let rubric = try await RubricStore.heading(id: period.$branchRubric.id, on: db)
        let chrome = try await PageChrome.make("\(period.code) 考核期", req)
        return PeriodDashboardPage(
            chrome: chrome,
            period: period.code, periodLabel: Quarter(code: period.code)?.label ?? period.code,
            stateLabel: PeriodsPage.stateLabel(period.state), rubric: "\(rubric.title)（第 \(rubric.number) 版）",
            selfDeadline: period.selfDeadline, panelDeadline: period.panelDeadline,
            branchRows: DashboardRows.html(
                branchPage.sheets.map { line(for: $0, in: branchPage, today: today) },
                table: .branches(unitsLinks: unitsHint != nil), period: period.code, csrf: chrome.csrf),
            unitRows: DashboardRows.html(
                lower.map { board in board.sheets.map { line(for: $0, in: board, today: today) } } ?? [],
                table: .lower, period: period.code, csrf: chrome.csrf),
            mayApprove: roles.contains { Policy.approvers.contains($0) },
            mayFile: grants.contains { $0.role == .branchSecretary || $0.role == .groupLeader },
            notice: notice,
            mayOpen: roles.contains { Policy.periodOpeners.contains($0) },
            progress: progress(of: index.states),
            board: board, unitsOf: chosen.flatMap { code in lower?.units[code]?.name ?? code }, unitsHint: unitsHint,
            changes: {
                var shown = changes
                shown.selfDeadline = shown.selfDeadline ?? period.selfDeadline
                shown.panelDeadline = shown.panelDeadline ?? period.panelDeadline
                return shown
            }())
    }

    /// Whether the period has more group and member sheets than `limit`: counted no further than one past it, from
    /// the index alone (a city's 55,000 are not counted, nor their rows read, to learn that they are many).
    static func lowerSheetsExceed(_ limit: Int, in period: Period, on db: any Database) async throws -> Bool {
        let probe = try await db.sql.select().column(SQLLiteral.numeric("1"), as: "one").from(Sheet.schema)
            .where("period_id", .equal, SQLBind(try period.requireID()))
            .where("level", .in, [Unit.Kind.group.rawValue, Unit.Kind.member.rawValue])
            .limit(limit + 1).all()
        return probe.count > limit
    }

    static func progress(of counts: [SheetState: Int]) -> [StateCount] {
        let all = counts.values.reduce(0, +)
        var x = 0
        return SheetState.allCases.compactMap { state in
            guard let count = counts[state], count > 0 else { return nil }
            let width = count * 1000 / max(1, all)
            defer { x += width }
            return StateCount(state: state.rawValue, label: state.label, count: count, x: x, width: width)
        }
    }

    static func line(for sheet: PeriodSheets.Listed, in board: PeriodSheets, today: CalendarDay) -> Line {
        let deadline = SheetDeadlines.selfReport(sheet.row, rubric: sheet.rubric, period: board.period)
        let waiting = sheet.state == .draft
        return Line(
            unit: sheet.row.unitCode, name: sheet.name,
            branch: sheet.row.level == .branch ? nil : board.branch(of: sheet)?.name,
            levelLabel: sheet.unit?.kind.label ?? sheet.row.level.label,
            stateLabel: sheet.state.label,
            selfDeadline: deadline?.description ?? "—",
            countdown: waiting ? deadline.map { Countdown(to: $0, today: today) } : nil,
            submittedAt: sheet.row.submittedAt.map(PageFormat.dateTime),
            late: sheet.row.late,
            unreported: !sheet.row.selfReported, reviewLate: sheet.row.reviewLate,
            total: (sheet.published?.total ?? sheet.score?.total).map(PageFormat.points) ?? "—",
            grade: sheet.published?.grade ?? sheet.score?.grade.key ?? "",
            gradeLabel: sheet.published?.gradeLabel ?? sheet.score?.grade.label ?? "",
            bonus: (sheet.published?.bonus ?? sheet.score?.bonus).map(PageFormat.points) ?? "—",
            next: SheetTurn.next(sheet.state, level: sheet.row.level),
            todo: SheetTurn.todo(on: sheet.row, sheet.viewer),
            moves: SheetTurn.actions(
                on: sheet.row, sheet.viewer, selfReportPassed: deadline.map { today > $0 } ?? false
            )
            // A move that asks for words (a reason, the panel's overall opinion at 考核完毕) is made on the sheet.
            .filter { !Workflow.needsReason.contains($0) && $0 != .review }.map {
                SheetPage.Action($0, on: sheet.state)
            },
            version: sheet.row.version,
            href: SiteURL.sheet(.init(board.period.code), unit: .init(sheet.row.unitCode)).path)
    }
}
