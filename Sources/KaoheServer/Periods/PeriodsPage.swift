import Fluent
import KaoheCore
import Vapor

/// 考核期: every quarter with its rubric and deadlines; for the organizer, the form that opens the next one.
struct PeriodsPage: Encodable {
    struct Line: Encodable {
        let code: String
        let label: String
        let stateLabel: String
        let rubric: String
        let selfDeadline: String
        let panelDeadline: String
        let href: String
    }

    /// The form to open a quarter, as posted (`quarter` like 2026Q4, `rubric` a branch rubric's key).
    struct OpenForm: Content {
        var quarter: String?
        var rubric: String?
        var selfDeadline: String?
        var panelDeadline: String?
    }

    let chrome: PageChrome
    let periods: [Line]
    let mayOpen: Bool
    let rubrics: [SelectOption]
    let form: OpenForm
    let errors: [String: String]

    static func query(on req: Request, form: OpenForm = OpenForm(), errors: [String: String] = [:]) async throws
        -> PeriodsPage
    {
        let user = try req.auth.require(User.self)
        let periods = try await Period.query(on: req.db).with(\.$branchRubric)
            .sort(\.$year, .descending).sort(\.$quarter, .descending).all()
        let mayOpen = try await mayOpen(user, on: req.db)
        let options = mayOpen ? try await branchRubrics(on: req.db) : []
        let chosen = form.rubric ?? options.first?.key
        // The next quarter is offered only once it has begun: a later one cannot be opened.
        let current = Quarter(of: BureauCalendar.today())
        let suggested = periods.first.flatMap { Quarter(year: $0.year, quarter: $0.quarter) }.map(\.next)
            .flatMap { next in current.map { next <= $0 } == true ? next : nil }
        return PeriodsPage(
            chrome: try await PageChrome.make("考核期", req),
            periods: periods.map { period in
                Line(
                    code: period.code, label: Quarter(code: period.code)?.label ?? period.code,
                    stateLabel: stateLabel(period.state),
                    rubric: "\(period.branchRubric.title)（第 \(period.branchRubric.number) 版）",
                    selfDeadline: period.selfDeadline, panelDeadline: period.panelDeadline,
                    href: SiteURL.period(.init(period.code)).path)
            },
            mayOpen: mayOpen,
            rubrics: options.map {
                SelectOption(
                    value: $0.key, label: "\($0.title)（\($0.key)，第 \($0.number) 版）", selected: $0.key == chosen)
            },
            form: OpenForm(
                quarter: form.quarter ?? suggested?.code, rubric: chosen,
                selfDeadline: form.selfDeadline, panelDeadline: form.panelDeadline),
            errors: errors)
    }

    /// Only the general branch's organizer opens a quarter (the API's rule).
    static func mayOpen(_ user: User, on db: any Database) async throws -> Bool {
        Policy.mayOpenPeriods(try await Access.roles(of: user, on: db))
    }

    /// The latest version of each installed rubric that assesses branches, newest first.
    static func branchRubrics(on db: any Database) async throws -> [RubricVersion] {
        let versions = try await RubricVersion.query(on: db).filter(\.$level == .branch)
            .sort(\.$createdAt, .descending).sort(\.$number, .descending).all()
        var seen = Set<String>()
        return versions.filter { seen.insert($0.key).inserted }
    }

    static func stateLabel(_ state: Period.State) -> String {
        switch state {
        case .open: "进行中"
        case .published: "已公布"
        }
    }

}
