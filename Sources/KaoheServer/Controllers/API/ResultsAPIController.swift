import Fluent
import KaoheCore
import Vapor

/// Publication (公布) and the published results (党团园地) with their exports.
struct ResultsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let period = routes.grouped("periods", ":period")
        period.post("publish", use: publish)
        period.get("results", use: results)
        // The same files the 党团园地 page offers.
        period.get("results.csv", use: ResultsController().csv)
        period.get("results.xlsx", use: ResultsController().xlsx)
    }

    /// The general branch's organizer publishes once every branch's sheet is approved.
    func publish(req: Request) async throws -> AssessmentsAPIController.PeriodDTO {
        let user = try req.auth.require(User.self)
        let period = try await SheetLookup.period(req)
        try await Sheets.publish(period, by: user, today: BureauCalendar.today(), on: req.db)
        try await period.$branchRubric.load(on: req.db)
        return AssessmentsAPIController.dto(period)
    }

    /// `?level=group` or `member` gives the reported (备案) results of the levels below; `?limit=&offset=` a page.
    /// The whole of the branches' results is sent as stored at publication, without reading it: it is the same for
    /// every reader, and gzip (kept beside it) goes to every client that accepts it.
    func results(req: Request) async throws -> Response {
        let page = try ListPage(req)
        let level = try ResultsController().level(req)
        if level == .branch, page.isWhole {
            let period = try await SheetLookup.period(req)
            guard let stored = try await Results.stored(of: period, on: req.db) else { throw ResultsController.notPublished(period) }
            var headers = HTTPHeaders()
            headers.contentType = .json
            headers.replaceOrAdd(name: .vary, value: "Accept-Encoding")
            if let gzip = stored.rowsGzip, Gzip.isAccepted(by: req) {
                headers.replaceOrAdd(name: .contentEncoding, value: "gzip")
                return Response(status: .ok, headers: headers, body: .init(data: gzip))
            }
            return Response(status: .ok, headers: headers, body: .init(string: stored.rows))
        }
        return try await page.apply(ResultsController().rows(req).rows).encodeResponse(for: req)
    }
}
