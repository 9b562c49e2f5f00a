import Fluent
import KaoheCore
import Vapor

/// `…/units/{unit}/documents` (api.md "The ledger, complete", 细则 2.3): read by the unit and those above it,
/// recorded by its secretary (a group's leader).
struct DocumentsAPIController: RouteCollection {
    /// How much of a request the attachment route collects (EvidenceUploads.requestBodyLimit).
    let uploadLimit: ByteCount

    func boot(routes: any RoutesBuilder) throws {
        let documents = routes.grouped("units", ":unit", "documents")
        documents.get(use: list)
        documents.post(use: record)
        documents.on(.POST, "import", bodyUpTo: "4mb", use: importCSV)
        documents.upload(
            .POST, ":document", "file", limit: uploadLimit, spooledToDisk: true, admits: LedgerRequest.mayRecord,
            use: attach)
        documents.get(":document", "file", use: download)
    }

    /// `POST …/documents/{document}/file` (multipart, field `file`): the plan or summary itself, by the unit's
    /// secretary; checked as evidence is (type, size, content).
    func attach(req: Request) async throws -> Documents.DocumentDTO {
        let permit = try await LedgerRequest.recorder(req)
        let document = try await Documents.attach(
            try SpooledForm.file("file", of: req), to: req.parameters.get("document", as: UUID.self),
            by: permit, settings: req.kaoheSettings, on: req.db)
        return try Documents.DocumentDTO(document)
    }

    /// `GET …/documents/{document}/file`: for the unit and those above it.
    func download(req: Request) async throws -> Response {
        let unit = try await LedgerRequest.readable(req)
        return try await Documents.download(
            req.parameters.get("document", as: UUID.self), of: unit, settings: req.kaoheSettings, on: req.db)
    }

    func list(req: Request) async throws -> [Documents.DocumentDTO] {
        let unit = try await LedgerRequest.readable(req)
        return try await Documents.list(of: unit.code, year: try LedgerRequest.year(req), on: req.db).map(
            Documents.DocumentDTO.init)
    }

    func record(req: Request) async throws -> Response {
        let permit = try await LedgerRequest.recorder(req)
        let document = try await Documents.record(
            try req.content.decode(Documents.Input.self), by: permit,
            today: BureauCalendar.today(), on: req.db)
        return try await Documents.DocumentDTO(document).encodeResponse(status: .created, for: req)
    }

    /// `POST …/documents/import` (body: CSV `kind,year,submittedOn[,title]`): all or nothing.
    func importCSV(req: Request) async throws -> Response {
        return try await ActivitiesAPIController.imported(
            .documents, by: try await LedgerRequest.recorder(req), req: req)
    }
}
