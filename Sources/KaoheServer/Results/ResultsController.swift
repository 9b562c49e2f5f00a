import Fluent
import KaoheCore
import Vapor

/// 党团园地 for every signed-in member, the organizer's 公布, the printable 公示 and the exports.
struct ResultsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.results(.key), use: page)
        routes.get(.resultsNotice(.key), use: notice)
        routes.get(.resultsCSV(.key), use: Results.csv)
        routes.get(.resultsXLSX(.key), use: Results.xlsx)
        routes.post("periods", ":period", "publish", use: publish)
    }

    func page(req: Request) async throws -> View {
        let period = try await SheetLookup.period(req)
        let notice: String? =
            switch req.query[String.self, at: "done"] {
            case "published": "已公布考核结果，各单位可在党团园地查看；公示期内可提出申诉。"
            case "republished": "已公布复核结果，受理申诉的考核表结果已更新。"
            default: nil
            }
        return try await req.view.render(
            "results", ResultsPage.query(period, level: try Results.level(req), on: req, notice: notice))
    }

    /// 公示: the A4 notice pinned in the 党团活动室, from the same rows.
    func notice(req: Request) async throws -> View {
        let period = try await SheetLookup.period(req)
        let page = try await ResultsPage.query(period, level: .branch, on: req)
        guard page.published else { throw Abort(.notFound, reason: "\(period.code) 的考核结果尚未公布") }
        return try await req.view.render("results-notice", page)
    }

    func publish(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let period = try await SheetLookup.period(req)
        do {
            let first = period.publishedOn == nil
            try await Sheets.publish(period, by: user, today: BureauCalendar.today(), on: req.db)
            return req.redirect(to: .results(.init(period.code)), query: ["done": first ? "published" : "republished"])
        } catch let abort as Abort where abort.status == .conflict {
            let page = try await ResultsPage.query(
                period, level: .branch, on: req, error: PageFormat.message(abort.reason))
            let response = try await req.view.render("results", page).encodeResponse(for: req)
            response.status = .conflict
            return response
        }
    }

}
