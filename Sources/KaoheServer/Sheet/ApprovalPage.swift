import Fluent
import KaoheCore
import Vapor

/// 审核确定: the branch sheets the panel has finished (`reviewed`), with their totals, grades, bonus and the panel's
/// opinions, for the approver to fix one by one or all at once.
struct ApprovalPage: Encodable {
    struct Opinion: Encodable {
        let item: String
        let text: String
    }

    struct Line: Encodable {
        let unit: String
        let name: String
        let total: String
        let grade: String
        let gradeLabel: String
        let bonus: String
        let selfTotal: String?
        let version: Int
        let mayApprove: Bool
        let opinions: [Opinion]
        let href: String
    }

    struct Waiting: Encodable {
        let name: String
        let stateLabel: String
        let next: String
    }

    let chrome: PageChrome
    let period: String
    let periodLabel: String
    let lines: [Line]
    let waiting: [Waiting]
    let mayApproveAll: Bool
    let notice: String?
    let problems: [String]

    static func query(_ period: Period, on req: Request, notice: String? = nil, problems: [String] = []) async throws
        -> ApprovalPage
    {
        let user = try req.auth.require(User.self)
        let branch: Set<Unit.Kind> = [.branch]
        let board = try await PeriodSheets.load(period, for: user, levels: branch, scored: false, on: req.db)
        let reviewed = try await PeriodSheets.load(period, for: user, levels: branch, states: [.reviewed], on: req.db)
            .sheets
        let ids = reviewed.map(\.row.id)
        let opinions =
            ids.isEmpty
            ? []
            : try await SheetOpinion.query(on: req.db).filter(\.$sheet.$id ~~ ids).filter(\.$text != "").sort(\.$item)
                .all()
        let lines = try reviewed.compactMap { sheet -> Line? in
            guard let score = sheet.score else { return nil }
            let id = sheet.row.id
            let selfScore = Sheets.selfSnapshot(of: sheet.row)
            return Line(
                unit: sheet.row.unitCode, name: sheet.name, total: PageFormat.points(score.total),
                grade: score.grade.key, gradeLabel: score.grade.label, bonus: PageFormat.points(score.bonus),
                selfTotal: selfScore.map { PageFormat.points($0.total) }, version: sheet.row.version,
                mayApprove: Policy.mayTake(.approve, on: sheet.row, sheet.viewer),
                opinions: opinions.filter { $0.$sheet.id == id }.map { Opinion(item: $0.item, text: $0.text) },
                href: SiteURL.sheet(.init(period.code), unit: .init(sheet.row.unitCode)).path)
        }
        return ApprovalPage(
            chrome: try await PageChrome.make("\(period.code) 审核确定", req),
            period: period.code, periodLabel: Quarter(code: period.code)?.label ?? period.code,
            lines: lines,
            waiting: board.sheets.filter { $0.state != .reviewed && $0.state != .approved && $0.state != .published }
                .map {
                    Waiting(
                        name: $0.name, stateLabel: $0.state.label, next: SheetTurn.next($0.state, level: $0.row.level))
                },
            mayApproveAll: lines.contains { $0.mayApprove },
            notice: notice, problems: problems)
    }
}
