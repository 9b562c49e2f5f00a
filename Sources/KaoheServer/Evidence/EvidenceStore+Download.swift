import Fluent
import Foundation
import Vapor

extension EvidenceStore {
    /// The file `id` of `sheet`, sent as an attachment so a browser never runs it; 404 when it is not the sheet's.
    /// The caller has checked that the viewer may see the sheet.
    static func download(_ id: UUID?, of sheet: Sheet, settings: Settings, on db: any Database) async throws -> Response
    {
        guard let id,
            let evidence = try await Evidence.query(on: db).filter(\.$id == id).filter(
                \.$sheet.$id == sheet.requireID()
            ).first(),
            let data = try await EvidenceStore(settings).get(evidence.sha256, on: db)
        else { throw Abort(.notFound, reason: "没有这份考核依据") }
        return Download.file(data, filename: evidence.filename, contentType: evidence.contentType)
    }
}
