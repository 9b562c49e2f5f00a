import Fluent
import KaoheCore
import Vapor

/// `…/units/{unit}/activities`: the activity ledger. Reaching the routes needs a role on the unit or above it
/// (`unitOrAbove`); recording needs the unit's own secretary or group leader (`Policy.ledgerRecorder`, whose permit every write takes).
struct ActivitiesAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let activities = routes.grouped("units", ":unit", "activities")
        activities.get(use: list)
        activities.post(use: record)
        activities.delete(":activity", use: withdraw)
        activities.on(.POST, "import", bodyUpTo: "4mb", use: importCSV)
        routes.grouped("units", ":unit", "ledger").post("complete", use: complete)
    }

    /// One record as the API shows it.
    struct ActivityDTO: Content {
        let id: UUID
        let unit: String
        let type: String
        let date: String
        let topic: String
        /// The branch's 党小组 that held it, when it names one.
        let group: String?
        let attendees: [String]
        let absent: [String]
        let excused: [String]
        let createdBy: String

        init(_ activity: Activity) throws {
            id = try activity.requireID()
            unit = activity.unitCode
            type = activity.type.rawValue
            date = activity.date
            topic = activity.topic
            group = activity.groupCode
            attendees = Activity.codes(activity.attendees)
            absent = Activity.codes(activity.absent)
            excused = Activity.codes(activity.excused)
            createdBy = activity.createdBy
        }
    }

    func list(req: Request) async throws -> [ActivityDTO] {
        let year = try LedgerRequest.year(req), page = try ListPage(req)
        return try page.apply(
            await Ledger.records(of: [try await LedgerRequest.readable(req).code], year: year, on: req.db)
        ).map(ActivityDTO.init)
    }

    func record(req: Request) async throws -> Response {
        let permit = try await LedgerRequest.recorder(req)
        let input = try req.content.decode(Ledger.Input.self)
        let activity = try await Ledger.record(input, by: permit, today: BureauCalendar.today(), on: req.db)
        return try await ActivityDTO(activity).encodeResponse(status: .created, for: req)
    }

    /// A mistaken record is withdrawn, not deleted, with the reason given as `?reason=`; it no longer counts.
    func withdraw(req: Request) async throws -> HTTPStatus {
        let permit = try await LedgerRequest.recorder(req)
        try await Ledger.withdraw(
            req.parameters.get("activity", as: UUID.self), reason: req.query[String.self, at: "reason"],
            by: permit, on: req.db)
        return .noContent
    }

    /// `POST …/activities/import` (body: the CSV): 200 `{"imported":N}`, or 422 `{"problems":[{"row","field","message"}]}`
    /// and nothing imported.
    func importCSV(req: Request) async throws -> Response {
        return try await Self.imported(.activities, by: try await LedgerRequest.recorder(req), req: req)
    }

    /// The import of a CSV body of `kind` for the unit, answered as api.md says: 200 `{"imported":N}` or 422 with
    /// the problems. Dues ask Policy for the dues keeper's permit besides.
    static func imported(_ kind: LedgerImport.Kind, by permit: Permit<Rights.RecordLedger>, req: Request) async throws
        -> Response
    {
        struct Imported: Content { let imported: Int }
        struct Problems: Content { let problems: [LedgerImport.Problem] }
        let data = req.body.data.map { Data(buffer: $0) } ?? Data()
        switch try await LedgerImport.run(
            kind, data, by: permit, as: try req.auth.require(User.self), today: BureauCalendar.today(),
            on: req.db)
        {
        case .imported(let count):
            return try await Imported(imported: count).encodeResponse(for: req)
        case .problems(let problems):
            return try await Problems(problems: problems).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    /// `POST …/units/{unit}/ledger/complete` `{"quarter":"2026Q3"}`: the unit's secretary says the quarter's ledger
    /// is complete, so that its sheet is offered what the records imply (部分记账 ends). 422 naming `quarter`.
    func complete(req: Request) async throws -> HTTPStatus {
        struct Body: Content { var quarter: String? }
        let permit = try await LedgerRequest.recorder(req)
        let quarter = try LedgerRequest.quarter(try req.content.decode(Body.self).quarter)
        try await Ledger.markComplete(quarter, by: permit, on: req.db)
        return .ok
    }

}
