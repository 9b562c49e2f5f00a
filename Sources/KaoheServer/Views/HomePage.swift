import Fluent
import SQLKit
import KaoheCore
import Vapor

/// 工作台: where every role lands after sign-in.
struct HomePage: Encodable {
    struct RoleLine: Encodable {
        let role: String
        let label: String
        let unit: String
    }

    /// 待办: a sheet the user must act on now, by the same rules the server enforces.
    struct Pending: Encodable {
        let period: String
        let name: String
        let stateLabel: String
        let todo: String
        let deadline: String?
        let countdown: Countdown?
        let href: String
    }

    let chrome: PageChrome
    let displayName: String
    let roles: [RoleLine]
    let pending: [Pending]

    static func query(for user: User, on request: Request) async throws -> HomePage {
        let grants = try await user.$roles.query(on: request.db).sort(\.$unitCode).all()
        let names = try await Unit.names(of: grants.map(\.unitCode), on: request.db)
        return HomePage(
            chrome: try await PageChrome.make("工作台", request),
            displayName: user.displayName,
            roles: grants.map { RoleLine(role: $0.role.rawValue, label: $0.role.label, unit: names[$0.unitCode] ?? $0.unitCode) },
            pending: try await pending(for: user, on: request.db)
        )
    }

    /// Every sheet of every period that waits for the user: to fill in and submit, to forward or return, to review,
    /// to approve. Nearest deadline first. The user's own part of the tree is read sheet by sheet; what waits for the
    /// general branch's roles is counted by step, and listed sheet by sheet only while few sheets wait at that step,
    /// so that a city's quarter is a line ("1000 张党支部考核表 · 转交或退回"), not a thousand.
    static func pending(for user: User, on db: any Database) async throws -> [Pending] {
        let today = BureauCalendar.today()
        let waiting = Set(AssessmentState.allCases).subtracting([.published])
        let grants = try await Access.roles(of: user, on: db)
        let bureau = grants.filter { $0.unitCode == OrgTree.rootCode }
        let local = Set(grants.filter { $0.unitCode != OrgTree.rootCode }.map(\.unitCode))
        let scope = local.isEmpty ? nil : try await Access.unitsAndDescendants(of: local, on: db)
        var lines: [(deadline: CalendarDay?, line: Pending)] = []
        for period in try await Period.query(on: db).sort(\.$year, .descending).sort(\.$quarter, .descending).all() {
            var listed: Set<String> = []
            func list(_ board: PeriodSheets) {
                for sheet in board.sheets where !listed.contains(sheet.row.unitCode) {
                    guard let todo = SheetTurn.todo(on: sheet.row, sheet.viewer) else { continue }
                    listed.insert(sheet.row.unitCode)
                    let deadline = SheetDeadlines.current(sheet.row, rubric: sheet.rubric, period: period)
                    lines.append((deadline, Pending(
                        period: period.code, name: sheet.name, stateLabel: sheet.state.label, todo: todo,
                        deadline: deadline?.description, countdown: deadline.map { Countdown(to: $0, today: today) },
                        href: "/periods/\(period.code)/sheets/\(sheet.row.unitCode)")))
                }
            }
            if let scope { list(try await PeriodSheets.load(period, for: user, states: waiting, units: scope, scored: false, on: db)) }
            guard !bureau.isEmpty else { continue }
            // Only the steps where the general branch's roles act are counted: an open quarter's 56,000 drafts are
            // the units' to fill in, and counting them cost more than the rest of the page.
            let acting = Self.waitingSteps.filter { step in
                SheetTurn.todo(on: step.sample, Policy.Viewer(user: user, grants: bureau, chain: step.chain)) != nil
            }
            for step in try await Self.steps(of: period, among: acting, on: db) {
                guard let todo = SheetTurn.todo(on: step.sample, Policy.Viewer(user: user, grants: bureau, chain: step.chain)) else { continue }
                if step.count <= Self.listedOneByOne {
                    list(try await PeriodSheets.load(period, for: user, levels: [step.sample.level], states: [step.state], scored: false, on: db))
                    continue
                }
                let rubric = try await Self.rubric(of: step.sample.level, in: period, on: db)
                let deadline = rubric.flatMap { SheetDeadlines.current(step.sample, rubric: $0, period: period) }
                let kind = step.sample.level.label
                lines.append((deadline, Pending(
                    period: period.code, name: "\(step.count) 张\(kind)考核表", stateLabel: step.state.label, todo: todo,
                    deadline: deadline?.description, countdown: deadline.map { Countdown(to: $0, today: today) },
                    href: "/periods/\(period.code)#progress")))
            }
        }
        // Stable: sheets without a deadline keep their tree order after those with one.
        return lines.enumerated().sorted { a, b in
            switch (a.element.deadline, b.element.deadline) {
            case let (x?, y?) where x != y: x < y
            case (_?, nil): true
            case (nil, _?): false
            default: a.offset < b.offset
            }
        }.map(\.element.line)
    }

    /// Steps with more waiting sheets than this are one line on the start page.
    static let listedOneByOne = 10

    /// The sheets of a period that wait at one step (a level in a state), counted by the database, with a sheet that
    /// stands for them all as the general branch's roles see it: every one of them lies under the general branch.
    struct Step {
        let state: AssessmentState
        let count: Int
        let sample: Assessment
        let chain: [String]
    }

    /// Every step a sheet may wait at: each level in each state but published, with its stand-in sheet.
    /// Built once: the stand-ins are only read (`SheetTurn.todo`), and building 72 sheets a request cost a tenth of it.
    static let waitingSteps: [Step] = [Unit.Kind.branch, .group, .member].flatMap { level in
        AssessmentState.allCases.filter { $0 != .published }.map { state in step(level: level, state: state, count: 0) }
    }

    /// The sheets of a period at `steps`, counted by the database; steps where none waits are left out.
    static func steps(of period: Period, among steps: [Step], on db: any Database) async throws -> [Step] {
        guard !steps.isEmpty else { return [] }
        struct Row: Decodable { let level: String; let state: String; let n: Int }
        let rows = try await db.sql.select().column("level").column("state").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Assessment.schema).where("period_id", .equal, SQLBind(try period.requireID()))
            // The states named, so that the index (period, level, state) finds only the sheets at them.
            .where("state", .in, Array(Set(steps.map(\.state.rawValue))).sorted())
            .where("level", .in, Array(Set(steps.map(\.sample.level.rawValue))).sorted())
            .groupBy("state").groupBy("level").all(decoding: Row.self)
        let counted = Set(steps.map { "\($0.sample.level.rawValue) \($0.state.rawValue)" })
        return rows.sorted { ($0.level, $0.state) < ($1.level, $1.state) }.compactMap { row in
            guard counted.contains("\(row.level) \(row.state)"), let state = AssessmentState(rawValue: row.state),
                  let level = Unit.Kind(rawValue: row.level) else { return nil }
            return step(level: level, state: state, count: row.n)
        }
    }

    private static func step(level: Unit.Kind, state: AssessmentState, count: Int) -> Step {
        let depth: [Unit.Kind: Int] = [.branch: 0, .group: 1, .member: 2]
        let sample = Assessment()
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
        let id: UUID? = switch level {
        case .branch: period.$branchRubric.id
        case .group: period.$groupRubric.id
        default: period.$memberRubric.id
        }
        guard let id else { return nil }
        return try await RubricStore.rubric(id: id, on: db)
    }
}
