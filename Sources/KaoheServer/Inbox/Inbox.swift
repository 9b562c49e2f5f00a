import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 待办: what a person must do next, soonest first — the 工作台's list and `GET /api/v1/me/inbox`. Each line is
/// decided by the rule the server enforces on the step it links to, so nothing is listed that the person may not do.
enum Inbox {
    /// One thing to do, as the start page shows it.
    struct Line: Encodable {
        let kind: Kind
        let period: String
        let name: String
        let stateLabel: String
        let todo: String
        let deadline: String?
        let countdown: Countdown?
        let href: String
    }

    enum Kind: String, Encodable {
        /// A sheet to fill in and submit, forward or return, review, approve or publish.
        case sheet
        /// A sheet of the person's own sent back to them (退回), with the reason.
        case returned
        /// A quarter whose branch sheets are all approved, to publish (公布).
        case publication
        /// An objection (申诉) to decide.
        case objection
        /// A quarter's results published in the last fortnight.
        case published
        /// This month's 党费 to record and hand over (细则 2.8).
        case dues
        /// A plan or summary of the year due or overdue (细则 2.3).
        case document
        /// A requirement of the ledger behind schedule this quarter.
        case ledger
    }

    /// A line as the API answers it (`contracts/api.md`: `kind`, `title`, `due`, `link`).
    struct Item: Content {
        let kind: String
        let title: String
        let due: String?
        let link: String

        init(_ line: Line) {
            kind = line.kind.rawValue
            title = "\(line.period) \(line.name)：\(line.todo)"
            due = line.deadline
            link = line.href
        }
    }

    typealias Dated = (deadline: CalendarDay?, line: Line)

    /// Everything waiting for `user`, nearest deadline first; what has none keeps its order after those that do.
    static func lines(for user: User, on db: any Database) async throws -> [Line] {
        try await read(for: user, on: db).lines
    }

    /// The 待办 with the units read for it: the user's own, those their roles act on, and those above them (the start
    /// page names the user's roles from them).
    static func read(for user: User, on db: any Database) async throws
        -> (lines: [Line], places: [String: UnitPlace])
    {
        let today = BureauCalendar.today()
        let periods = try await Period.newestFirst(on: db)
        let grants = try await Access.roles(of: user, on: db)
        let local = Set(grants.filter { $0.unitCode != OrgTree.rootCode }.map(\.unitCode))
        let scope = try await Access.placesActedOn(from: local, on: db)
        let dated =
            try await sheetLines(for: user, grants: grants, periods: periods, scope: scope, today: today, on: db)
            + publicationLines(grants: grants, periods: periods, on: db)
            + objectionLines(for: user, grants: grants, on: db)
            + publishedLines(periods, today: today)
            + ledgerLines(grants: grants, periods: periods, places: scope.places, today: today, on: db)
        let lines = dated.enumerated().sorted { a, b in
            switch (a.element.deadline, b.element.deadline) {
            case let (x?, y?) where x != y: x < y
            case (_?, nil): true
            case (nil, _?): false
            default: a.offset < b.offset
            }
        }.map(\.element.line)
        return (lines, scope.places)
    }

    /// Open objections on sheets the user may decide (whoever publishes the sheet's level, `Objections.decide`),
    /// each checked as its decision will be: the user's roles read once, every objecting unit's chain in one read.
    static func objectionLines(for user: User, grants: [RoleGrant], on db: any Database) async throws -> [Dated] {
        let rows = try await db.sql.raw(
            """
            SELECT a.*, p.code AS period_code FROM \(ident: Objection.schema) o
            JOIN \(ident: Sheet.schema) a ON a.id = o.assessment_id
            JOIN \(ident: Period.schema) p ON p.id = a.period_id
            WHERE o.state = \(bind: Objection.State.open.rawValue)
            ORDER BY p.year, p.quarter, a.unit_code
            """
        ).all()
        guard !rows.isEmpty else { return [] }
        let open = try rows.map {
            (
                period: try $0.decode(column: "period_code", as: String.self),
                sheet: try $0.decode(fluentModel: Sheet.self)
            )
        }
        let chains = try await Access.chains(of: open.map(\.sheet.unitCode), on: db)
        let found = open.filter { _, sheet in
            Policy.mayTake(
                .reopen, on: sheet, Policy.Viewer(user: user, grants: grants, chain: chains[sheet.unitCode] ?? []))
        }
        let names = try await Unit.names(of: found.map(\.sheet.unitCode), on: db)
        return found.map { period, sheet in
            (
                nil,
                Line(
                    kind: .objection, period: period, name: names[sheet.unitCode] ?? sheet.unitCode,
                    stateLabel: "申诉待处理",
                    todo: "处理申诉：驳回或受理", deadline: nil, countdown: nil,
                    href: SiteURL.feedback(.init(period), unit: .init(sheet.unitCode)).path(fragment: "objection"))
            )
        }
    }

    /// A quarter whose every branch sheet is approved waits for the organizer to publish it (办法 六; `Sheets.publish`
    /// refuses it while any is not): one count of the branch sheets not yet published, by quarter and state.
    static func publicationLines(grants: [RoleGrant], periods: [Period], on db: any Database) async throws -> [Dated] {
        guard Policy.holdsBureauRole(grants, Policy.publishers), !periods.isEmpty else { return [] }
        struct Count: Decodable { let period_id: UUID; let state: String; let n: Int }
        // Every period and state named, so that the index (period, state, level) finds only the branch sheets at them.
        let unpublished = SheetState.allCases.filter { $0 != .published }
        let counts = try await db.sql.raw(
            """
            SELECT period_id, state, COUNT(*) AS n FROM \(ident: Sheet.schema)
            WHERE period_id IN (\(SQLList(try periods.map { SQLBind(try $0.requireID()) })))
              AND state IN (\(SQLList(unpublished.map { SQLBind($0.rawValue) }))) AND level = \(bind: Unit.Kind.branch.rawValue)
            GROUP BY period_id, state
            """
        ).all(decoding: Count.self)
        let byPeriod = Dictionary(grouping: counts, by: \.period_id)
        return try periods.compactMap { period in
            let counted = byPeriod[try period.requireID()] ?? []
            let approved = counted.filter { $0.state == SheetState.approved.rawValue }.map(\.n).reduce(0, +)
            let heldUp = counted.contains { SheetState(rawValue: $0.state).map(Sheets.holdsUpPublication) ?? true }
            guard approved > 0, !heldUp else { return nil }
            return (
                nil,
                Line(
                    kind: .publication, period: period.code, name: "\(approved) 张\(Unit.Kind.branch.label)考核表",
                    stateLabel: SheetState.approved.label, todo: "公布考核结果", deadline: nil, countdown: nil,
                    href: SiteURL.results(.init(period.code)).path)
            )
        }
    }

    /// How long a quarter's published results stay on everyone's list.
    static let publishedListedDays = 14

    /// Quarters whose results came out in the last fortnight: published for everyone to read (办法 五).
    static func publishedLines(_ periods: [Period], today: CalendarDay) -> [Dated] {
        periods.compactMap { period in
            guard let day = period.publishedOn.flatMap(CalendarDay.init),
                (0..<publishedListedDays).contains(day.days(until: today))
            else { return nil }
            return (
                nil,
                Line(
                    kind: .published, period: period.code, name: "考核结果", stateLabel: "已公布",
                    todo: "查看结果（\(day) 公布）", deadline: nil, countdown: nil,
                    href: SiteURL.results(.init(period.code)).path)
            )
        }
    }

    /// Every sheet of every period that waits for the user: to fill in and submit, to forward or return, to review,
    /// to approve. Nearest deadline first. The user's own part of the tree is read sheet by sheet; what waits for the
    /// general branch's roles is counted by step, and listed sheet by sheet only while few sheets wait at that step,
    /// so that a city's quarter is a line ("1000 张党支部考核表 · 转交或退回"), not a thousand.
    static func sheetLines(
        for user: User, grants: [RoleGrant], periods: [Period],
        scope: (places: [String: UnitPlace], acted: Set<String>), today: CalendarDay, on db: any Database
    ) async throws -> [Dated] {
        let waiting = Set(SheetState.allCases).subtracting([.published])
        let bureau = grants.filter { $0.unitCode == OrgTree.rootCode }
        var lines: [Dated] = []
        // The waiting sheets of every period of the units the user's own roles act on (`Access.placesActedOn`), in
        // one read.
        var boards: [PeriodSheets] = []
        if !scope.acted.isEmpty {
            boards = try await PeriodSheets.load(
                periods, for: user, states: waiting, units: scope.acted, scored: false, places: scope.places, on: db)
        }
        // What waits for the general branch's roles, counted by step for every period in one read.
        let steps = bureau.isEmpty ? [:] : try await Self.steps(of: periods, among: acting(user, bureau), on: db)
        var drafts: [(line: Int, period: String, unit: String)] = []
        var reviews: [(line: Int, period: String, unit: String)] = []
        for (index, period) in periods.enumerated() {
            var listed: Set<String> = []
            func list(_ board: PeriodSheets) {
                for sheet in board.sheets where !listed.contains(sheet.row.unitCode) {
                    guard let todo = SheetTurn.todo(on: sheet.row, sheet.viewer) else { continue }
                    listed.insert(sheet.row.unitCode)
                    // A draft is back by a return only after a submission, which is kept (`submittedAt`).
                    if sheet.state == .draft, sheet.row.submittedAt != nil {
                        drafts.append((lines.count, period.code, sheet.row.unitCode))
                    }
                    if sheet.state == .underReview { reviews.append((lines.count, period.code, sheet.row.unitCode)) }
                    let deadline = SheetDeadlines.current(sheet.row, rubric: sheet.rubric, period: period)
                    lines.append(
                        (
                            deadline,
                            Line(
                                kind: .sheet, period: period.code, name: sheet.name, stateLabel: sheet.state.label,
                                todo: todo,
                                deadline: deadline?.description,
                                countdown: deadline.map { Countdown(to: $0, today: today) },
                                href: SiteURL.sheet(.init(period.code), unit: .init(sheet.row.unitCode)).path)
                        ))
                }
            }
            if index < boards.count { list(boards[index]) }
            for step in steps[try period.requireID()] ?? [] {
                guard
                    let todo = SheetTurn.todo(
                        on: step.sample, Policy.Viewer(user: user, grants: bureau, chain: step.chain))
                else { continue }
                if step.count <= Self.listedOneByOne {
                    list(
                        try await PeriodSheets.load(
                            period, for: user, levels: [step.sample.level], states: [step.state], scored: false, on: db)
                    )
                    continue
                }
                let rubric = try await Self.rubric(of: step.sample.level, in: period, on: db)
                let deadline = rubric.flatMap { SheetDeadlines.current(step.sample, rubric: $0, period: period) }
                let kind = step.sample.level.label
                lines.append(
                    (
                        deadline,
                        Line(
                            kind: .sheet, period: period.code, name: "\(step.count) 张\(kind)考核表",
                            stateLabel: step.state.label, todo: todo,
                            deadline: deadline?.description,
                            countdown: deadline.map { Countdown(to: $0, today: today) },
                            href: SiteURL.period(.init(period.code)).path(fragment: "progress"))
                    ))
            }
        }
        try await markReturned(drafts, of: &lines, on: db)
        try await markReviewedAgain(reviews, of: &lines, on: db)
        return lines
    }

    /// A sheet under review again says why it came back to the panel: sent back by the approver, or an objection
    /// upheld, with the reason; one read of the audit log for all of them. The last of those steps and the forward
    /// decides: a sheet forwarded after them is under its first review.
    private static func markReviewedAgain(
        _ reviews: [(line: Int, period: String, unit: String)], of lines: inout [Dated], on db: any Database
    ) async throws {
        guard !reviews.isEmpty else { return }
        let subjects = reviews.map { AuditSubject.sheet(period: $0.period, unit: $0.unit).code }
        let actions = [AuditAction.sheet(.sendBack), .objectionUphold, .sheet(.forward)].map(\.code)
        let events = try await AuditEvent.query(on: db).filter(\.$action ~~ actions).filter(\.$subject ~~ subjects)
            .sort(\.$seq).all()
        var last: [String: AuditEvent] = [:]
        for event in events { last[event.subject] = event }
        for (review, subject) in zip(reviews, subjects) {
            guard let event = last[subject], event.action != AuditAction.sheet(.forward).code else { continue }
            let reason = event.afterFields["reason"].flatMap { $0.isEmpty ? nil : $0 }
            let why = event.action == AuditAction.objectionUphold.code ? "申诉已受理，重新考核" : "总支书记退回，重新考核"
            let line = lines[review.line].line
            lines[review.line].line = Line(
                kind: line.kind, period: line.period, name: line.name, stateLabel: line.stateLabel,
                todo: why + (reason.map { "：\($0)" } ?? ""), deadline: line.deadline, countdown: line.countdown,
                href: line.href)
        }
    }

    /// A draft of the user's own that was returned (退回) shows it, with the reason of its last return: a draft is
    /// back with its unit only by a return, so the last one is why. One read of the audit log for every period's drafts.
    private static func markReturned(
        _ drafts: [(line: Int, period: String, unit: String)], of lines: inout [Dated], on db: any Database
    ) async throws {
        guard !drafts.isEmpty else { return }
        let subjects = drafts.map { AuditSubject.sheet(period: $0.period, unit: $0.unit).code }
        let events = try await AuditEvent.query(on: db).filter(\.$action == AuditAction.sheet(.return).code)
            .filter(\.$subject ~~ subjects).sort(\.$seq).all()
        var reasons: [String: String] = [:]
        for event in events { reasons[event.subject] = event.afterFields["reason"] ?? "" }
        let submit = WorkflowAction.submit.label
        for (draft, subject) in zip(drafts, subjects) {
            guard let reason = reasons[subject] else { continue }
            let line = lines[draft.line].line
            lines[draft.line].line = Line(
                kind: .returned, period: line.period, name: line.name, stateLabel: "已退回",
                todo: reason.isEmpty ? "修改后重新\(submit)" : "按退回意见修改后重新\(submit)：\(reason)",
                deadline: line.deadline, countdown: line.countdown, href: line.href)
        }
    }

    /// Steps with more waiting sheets than this are one line on the start page.
    static let listedOneByOne = 10

    /// The sheets of a period that wait at one step (a level in a state), counted by the database, with a sheet that
    /// stands for them all as the general branch's roles see it: every one of them lies under the general branch.
    struct Step {
        let state: SheetState
        let count: Int
        let sample: Sheet
        let chain: [String]
    }

    /// Every step a sheet may wait at: each level in each state but published, with its stand-in sheet.
    /// Built once: the stand-ins are only read (`SheetTurn.todo`), and building 72 sheets a request cost a tenth of it.
    static let waitingSteps: [Step] = [Unit.Kind.branch, .group, .member].flatMap { level in
        SheetState.allCases.filter { $0 != .published }.map { state in step(level: level, state: state, count: 0) }
    }

    /// Only the steps where the general branch's roles act are counted: an open quarter's 56,000 drafts are the
    /// units' to fill in, and counting them cost more than the rest of the page.
    private static func acting(_ user: User, _ bureau: [RoleGrant]) -> [Step] {
        waitingSteps.filter { step in
            SheetTurn.todo(on: step.sample, Policy.Viewer(user: user, grants: bureau, chain: step.chain)) != nil
        }
    }

    /// The sheets of each period at `steps`, counted by the database in one read; steps where none waits are left out.
    static func steps(of periods: [Period], among steps: [Step], on db: any Database) async throws -> [UUID: [Step]] {
        guard !steps.isEmpty, !periods.isEmpty else { return [:] }
        struct Row: Decodable { let period_id: UUID; let level: String; let state: String; let n: Int }
        let rows = try await db.sql.select().column("period_id").column("level").column("state").column(
            SQLFunction("COUNT", args: SQLLiteral.all), as: "n"
        )
        .from(Sheet.schema).where("period_id", .in, try periods.map { try $0.requireID() })
        // The states named, so that the index (period, level, state) finds only the sheets at them.
        .where("state", .in, Array(Set(steps.map(\.state.rawValue))).sorted())
        .where("level", .in, Array(Set(steps.map(\.sample.level.rawValue))).sorted())
        .groupBy("period_id").groupBy("state").groupBy("level").all(decoding: Row.self)
        let counted = Set(steps.map { "\($0.sample.level.rawValue) \($0.state.rawValue)" })
        return Dictionary(grouping: rows, by: \.period_id).mapValues { rows in
            rows.sorted { ($0.level, $0.state) < ($1.level, $1.state) }.compactMap { row in
                guard counted.contains("\(row.level) \(row.state)"), let state = SheetState(rawValue: row.state),
                    let level = Unit.Kind(rawValue: row.level)
                else { return nil }
                return step(level: level, state: state, count: row.n)
            }
        }
    }

    private static func step(level: Unit.Kind, state: SheetState, count: Int) -> Step {
        let depth: [Unit.Kind: Int] = [.branch: 0, .group: 1, .member: 2]
        let sample = Sheet()
        sample.unitCode = "\(level.rawValue)-sample"
        sample.level = level
        sample.state = state
        sample.version = 0
        sample.late = false
        let between = (0..<(depth[level] ?? 0)).map { "above-\($0)" }
        return Step(state: state, count: count, sample: sample, chain: [sample.unitCode] + between + [OrgTree.rootCode])
    }

    /// The rubric a period assesses a level by.
    static func rubric(of level: Unit.Kind, in period: Period, on db: any Database) async throws -> Rubric? {
        let id: UUID? =
            switch level {
            case .branch: period.$branchRubric.id
            case .group: period.$groupRubric.id
            default: period.$memberRubric.id
            }
        guard let id else { return nil }
        return try await RubricStore.rubric(id: id, on: db)
    }
}
