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

    /// `?level=group` or `member` gives the reported (备案) results of the levels below.
    func results(req: Request) async throws -> [Results.Row] {
        try await ResultsController().rows(req).rows
    }
}
