import Fluent
import KaoheCore
import Vapor

/// `…/units/{unit}/documents` (api.md "The ledger, complete", 细则 2.3): read by the unit and those above it,
/// recorded by its secretary (a group's leader).
struct DocumentsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let documents = routes.grouped("units", ":unit", "documents")
        documents.get(use: list)
        documents.post(use: record)
    }

    func list(req: Request) async throws -> [Documents.DocumentDTO] {
        let unit = try await ActivitiesAPIController.unit(req)
        return try await Documents.list(of: unit.code, year: try ActivitiesAPIController.year(req), on: req.db).map(Documents.DocumentDTO.init)
    }

    func record(req: Request) async throws -> Response {
        let (user, unit) = try await ActivitiesAPIController.recorder(req)
        let document = try await Documents.record(try req.content.decode(Documents.Input.self), for: unit, actor: user.username,
                                                  today: BureauCalendar.today(), on: req.db)
        return try await Documents.DocumentDTO(document).encodeResponse(status: .created, for: req)
    }
}
