import Fluent
import KaoheCore
import Vapor

/// 审核确定 for the 总支书记: the reviewed branch sheets, approved one by one (through the sheet's action route) or
/// all at once here, each through `Sheets.act` with the version it was read at.
struct ApprovalController: RouteCollection {
    /// The roles on the general branch that open this page; each approval is still checked by `Policy.mayTake`.

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.approval(.key), use: page)
        routes.post("periods", ":period", "approval", use: approveAll)
    }

    func page(req: Request) async throws -> View {
        let period = try await SheetLookup.period(req)
        let notice = req.query[Int.self, at: "approved"].map { $0 == 0 ? "没有待审核确定的考核表。" : "已审核确定 \($0) 份考核表。" }
        return try await req.view.render("approval", ApprovalPage.query(period, on: req, notice: notice))
    }

    /// The sheets the page listed, each with the version it was read at.
    struct ApproveAllForm: Content {
        var versions: [String: Int]?
    }

    /// Approves the reviewed branch sheets the page listed, each at the version it showed, in turn; one that fails
    /// (changed meanwhile) is named and the others still approved. A sheet reviewed after the page was opened is
    /// not approved unseen: it is named, to be read first.
    func approveAll(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let period = try await SheetLookup.period(req)
        let seen = try req.content.decode(ApproveAllForm.self).versions ?? [:]
        let board = try await PeriodSheets.load(
            period, for: user, levels: [.branch], states: [.reviewed], scored: false, on: req.db)
        var approved: [String] = []
        var problems: [String] = []
        let approvable = board.sheets.filter { Policy.mayTake(.approve, on: $0.row, $0.viewer) }
        // The board lists rows; a move is made on the sheet's model, read for those the approver may approve.
        let models =
            approvable.isEmpty
            ? [:]
            : Dictionary(
                try await Sheet.query(on: req.db).filter(\.$id ~~ approvable.map(\.row.id)).all().map {
                    (try $0.requireID(), $0)
                },
                uniquingKeysWith: { first, _ in first })
        for sheet in approvable {
            guard let model = models[sheet.row.id] else { continue }
            guard let version = seen[sheet.row.unitCode] else {
                problems.append("\(sheet.name)：在您打开本页之后才转来，请查看后再审核确定")
                continue
            }
            do {
                try await Sheets.act(
                    .approve, on: model, period: period, version: version, reason: nil,
                    by: sheet.viewer, today: BureauCalendar.today(), on: req.db)
                approved.append(sheet.name)
            } catch let abort as Abort where abort.status == .conflict {
                problems.append("\(sheet.name)：\(PageFormat.message(abort.reason))")
            }
        }
        guard !problems.isEmpty else {
            return req.redirect(to: .approval(.init(period.code)), query: ["approved": "\(approved.count)"])
        }
        let notice = approved.isEmpty ? nil : "已审核确定 \(approved.count) 份考核表：\(approved.joined(separator: "、"))。"
        let page = try await ApprovalPage.query(period, on: req, notice: notice, problems: problems)
        let response = try await req.view.render("approval", page).encodeResponse(for: req)
        response.status = .conflict
        return response
    }
}
