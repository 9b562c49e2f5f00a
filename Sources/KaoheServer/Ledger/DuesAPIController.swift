import Fluent
import KaoheCore
import Vapor

/// `…/units/{unit}/dues` (api.md "The ledger, complete"): a branch's 党费 month by month. Reaching the routes needs
/// a role on the unit or above it; saving a month needs the branch's own secretary.
struct DuesAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let dues = routes.grouped("units", ":unit", "dues")
        dues.get(use: list)
        dues.put(":month", use: save)
        dues.on(.POST, "import", bodyUpTo: "4mb", use: importCSV)
    }

    /// `?year=`: the recorded months of the year, oldest first.
    func list(req: Request) async throws -> [DuesLedger.MonthDTO] {
        let unit = try await LedgerRequest.readable(req)
        let year = try LedgerRequest.year(req)
        return try await DuesLedger.records(of: [unit.code], year: year, on: req.db).map {
            DuesLedger.dto($0.0, payments: $0.1)
        }
    }

    func save(req: Request) async throws -> DuesLedger.MonthDTO {
        let permit = try await LedgerRequest.keeper(req)
        let today = BureauCalendar.today()
        let month = try DuesLedger.month(req.parameters.get("month"), today: today)
        let input = try req.content.decode(DuesLedger.Input.self)
        return try await DuesLedger.save(input, month: month, by: permit, today: today, on: req.db)
    }

    /// `POST …/dues/import` (body: CSV `month,member,amount,paidOn[,due,signed,handedOverOn]`): months not yet
    /// recorded, all or nothing.
    func importCSV(req: Request) async throws -> Response {
        _ = try await LedgerRequest.keeper(req)  // 403 for anyone but the branch's secretary, before the body is read
        return try await ActivitiesAPIController.imported(.dues, by: try await LedgerRequest.recorder(req), req: req)
    }

}
