import Fluent
import KaoheCore
import Vapor

/// 党团园地 for every signed-in member, the organizer's 公布, the printable 公示 and the exports.
struct ResultsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let period = routes.grouped("periods", ":period")
        period.get("results", use: page)
        period.get("results", "notice", use: notice)
        period.get("results.csv", use: csv)
        period.get("results.xlsx", use: xlsx)
        period.post("publish", use: publish)
    }

    func page(req: Request) async throws -> View {
        let period = try await SheetLookup.period(req)
        return try await req.view.render("results", ResultsPage.query(period, level: try level(req), on: req))
    }

    /// 公示: the A4 notice pinned in the 党团活动室, from the same rows.
    func notice(req: Request) async throws -> View {
        let period = try await SheetLookup.period(req)
        let page = try await ResultsPage.query(period, level: .branch, on: req)
        guard page.published else { throw Abort(.notFound, reason: "\(period.code) 的考核结果尚未公布") }
        return try await req.view.render("results-notice", page)
    }

    func csv(req: Request) async throws -> Response {
        let (period, rows) = try await rows(req)
        return FeedbackAPIController.attachment(CSVExport.data(Results.table(rows, period: period)),
                                                filename: "\(period.code)考核结果.csv", contentType: "text/csv; charset=utf-8")
    }

    func xlsx(req: Request) async throws -> Response {
        let (period, rows) = try await rows(req)
        return FeedbackAPIController.attachment(
            XLSXWorkbook.data(Results.table(rows, period: period)), filename: "\(period.code)考核结果.xlsx",
            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    func publish(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let period = try await SheetLookup.period(req)
        do {
            try await Sheets.publish(period, by: user, today: BureauCalendar.today(), on: req.db)
            return req.redirect(to: "/periods/\(period.code)/results")
        } catch let abort as Abort where abort.status == .conflict {
            let page = try await ResultsPage.query(period, level: .branch, on: req, error: PageFormat.message(abort.reason))
            let response = try await req.view.render("results", page).encodeResponse(for: req)
            response.status = .conflict
            return response
        }
    }

    func level(_ req: Request) throws -> Unit.Kind {
        guard let name = req.query[String.self, at: "level"] else { return .branch }
        guard let kind = Unit.Kind(rawValue: name), kind != .general else {
            throw ValidationProblem(field: "level", rule: "应为 branch、group 或 member")
        }
        return kind
    }

    /// The published rows of a level the caller may read, shared by the exports of the API and of the pages: every
    /// branch's (党团园地 is public to the bureau), and of the filed groups and members those `Policy` allows.
    func rows(_ req: Request) async throws -> (period: Period, rows: [Results.Row]) {
        let period = try await SheetLookup.period(req)
        let level = try level(req)
        guard let rows = try await Results.rows(of: period, level: level, on: req.db) else { throw Self.notPublished(period) }
        return (period, try await Self.readable(rows, level: level, on: req))
    }

    static func notPublished(_ period: Period) -> Abort {
        Abort(.notFound, reason: "\(period.code) 的考核结果尚未公布 (not published yet)")
    }

    static func readable(_ rows: [Results.Row], level: Unit.Kind, on req: Request) async throws -> [Results.Row] {
        guard level != .branch else { return rows }
        let grants = try await Access.roles(of: try req.auth.require(User.self), on: req.db)
        let parents = try await Access.parents(on: req.db)
        return rows.filter { Policy.mayReadFiled($0.unit, grants: grants, parents: parents) }
    }
}
