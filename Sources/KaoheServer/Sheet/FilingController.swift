import Fluent
import KaoheCore
import Vapor

/// 备案 in one step: the branch secretary's reported group sheets, the group leader's member sheets, listed with
/// the step each still needs; one confirmation with the overall 考核意见 files them all (`BulkActions`), each at the
/// version the page showed, and the page then says what became of each.
struct FilingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.filing(.key), use: page)
        routes.post(.filing(.key), use: file)
    }

    struct Page: Encodable {
        struct Line: Encodable {
            let unit: String
            let name: String
            let level: String
            let state: String
            let steps: String
            let version: Int
            let href: String
        }
        struct Result: Encodable {
            let name: String
            let done: Bool
            let text: String
        }
        let chrome: PageChrome
        let period: String
        let periodLabel: String
        let lines: [Line]
        let results: [Result]
        let opinion: String
        let opinionError: String?
    }

    /// The group and member sheets the user may take the next filing step on, in the tree's order.
    static func fileable(_ period: Period, for user: User, on db: any Database) async throws -> [PeriodSheets.Listed] {
        let board = try await PeriodSheets.load(
            period, for: user, levels: [.group, .member], states: Set(BulkActions.filing.keys), scored: false, on: db)
        return board.sheets.filter { listed in
            BulkActions.filing[listed.row.state].map { Policy.mayTake($0, on: listed.row, listed.viewer) } == true
        }
    }

    static func render(
        _ period: Period, on req: Request, results: [Page.Result] = [], opinion: String = "",
        opinionError: String? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let user = try req.auth.require(User.self)
        let lines = try await fileable(period, for: user, on: req.db).map { listed in
            var steps: [String] = []
            var state = listed.row.state
            while let step = BulkActions.filing[state], let next = try? Workflow.apply(step, to: state) {
                steps.append(step == .publish ? "备案" : step.label)
                state = next
            }
            return Page.Line(
                unit: listed.row.unitCode, name: listed.name, level: listed.row.level.label,
                state: listed.row.state.label, steps: steps.joined(separator: " → "), version: listed.row.version,
                href: SiteURL.sheet(.init(period.code), unit: .init(listed.row.unitCode)).path)
        }
        let page = Page(
            chrome: try await PageChrome.make("\(period.code) 党小组、党员考核表备案", req), period: period.code,
            periodLabel: Quarter(code: period.code)?.label ?? period.code, lines: lines, results: results,
            opinion: opinion, opinionError: opinionError)
        let response = try await req.view.render("filing", page).encodeResponse(for: req)
        response.status = status
        return response
    }

    func page(req: Request) async throws -> Response {
        try await Self.render(try await SheetLookup.period(req), on: req)
    }

    struct FilingForm: Content {
        var versions: [String: Int]?
        var opinion: String?
    }

    func file(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let period = try await SheetLookup.period(req)
        let form = try req.content.decode(FilingForm.self)
        let opinion = form.opinion ?? ""
        let versions = (form.versions ?? [:]).sorted { $0.key < $1.key }
        guard !versions.isEmpty else {
            return try await Self.render(
                period, on: req, opinion: opinion, opinionError: "请至少勾选一份考核表", status: .unprocessableEntity)
        }
        let outcomes: [BulkActions.Outcome]
        do {
            outcomes = try await BulkActions.act(
                "file", on: versions.map { .init(unit: $0.key, version: $0.value) }, period: period, reason: nil,
                opinion: opinion, by: user, on: req.db)
        } catch let problem as ValidationProblem {
            return try await Self.render(
                period, on: req, opinion: opinion, opinionError: PageFormat.message(problem.rule),
                status: .unprocessableEntity)
        }
        let names = try await Unit.names(of: outcomes.map(\.unit), on: req.db)
        let results = outcomes.map { outcome in
            Page.Result(
                name: names[outcome.unit] ?? outcome.unit, done: outcome.status == 200,
                text: outcome.status == 200 ? "已备案" : "未备案：\(PageFormat.message(outcome.reason ?? ""))")
        }
        return try await Self.render(
            period, on: req, results: results, status: results.allSatisfy(\.done) ? .ok : .conflict)
    }
}
