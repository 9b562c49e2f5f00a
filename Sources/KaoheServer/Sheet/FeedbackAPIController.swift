import Fluent
import KaoheCore
import Vapor

/// The panel's per-item opinions, evidence files, and the unit's objection (申诉) on one sheet.
struct FeedbackAPIController: RouteCollection {
    /// How much of a request an upload route collects (EvidenceUploads.requestBodyLimit).
    let uploadLimit: ByteCount

    func boot(routes: any RoutesBuilder) throws {
        let sheet = routes.grouped("periods", ":period", "assessments", ":unit")
        sheet.post("opinions", use: setOpinion)
        sheet.upload(
            .POST, "evidence", limit: uploadLimit, spooledToDisk: true, admits: SheetLookup.mayUploadEvidence,
            use: upload)
        sheet.get("evidence", ":evidence", use: download)
        sheet.post("objection", use: fileObjection)
        sheet.post("objection", ":decision", use: decideObjection)
    }

    struct OpinionRequest: Content {
        let item: String
        let text: String
        let version: Int
    }

    /// The panel of the sheet's level writes opinions while it is under review.
    func setOpinion(req: Request) async throws -> SheetDTO {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        try Policy.mayWriteOpinion(sheet, viewer)  // 403 before the body is read; Sheets.setOpinion checks it again
        let body = try req.content.decode(OpinionRequest.self)
        try await Sheets.setOpinion(
            item: body.item, text: body.text, on: sheet, version: body.version,
            rubric: try await RubricStore.rubric(id: sheet.$rubric.id, on: req.db), by: viewer, on: req.db)
        return try await SheetDTO(SheetDocument.load(sheet, of: period, on: req.db))
    }

    struct Upload: Content {
        let source: String?
    }

    /// Whoever may write entries now uploads evidence for them; after publication the unit uploads evidence for
    /// its objection.
    func upload(req: Request) async throws -> Response {
        let (_, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        try Policy.mayUploadEvidence(sheet, viewer)
        let upload = try SpooledForm.decode(Upload.self, from: req)
        // One writer at a time, with the audit event: concurrent uploads must not race for the log's next seq.
        let file = try SpooledForm.file("file", of: req), settings = req.kaoheSettings, actor = viewer.user.username
        let evidence = try await req.db.writeTransaction { db in
            try await EvidenceUploads.accept(
                file, source: upload.source, sheet: sheet, policy: settings.evidence,
                store: EvidenceStore(settings), actor: actor, on: db)
        }
        return try await EvidenceDTO(evidence).encodeResponse(status: .created, for: req)
    }

    /// Only those who may see the sheet get its evidence.
    func download(req: Request) async throws -> Response {
        let (_, sheet, _) = try await SheetLookup.visibleSheet(req)
        return try await EvidenceStore.download(
            req.parameters.get("evidence", as: UUID.self), of: sheet, settings: req.kaoheSettings,
            on: req.db)
    }

    struct ObjectionRequest: Content {
        let reason: String
        let evidence: [UUID]?
    }

    /// The unit that kept the sheet files its one objection inside the window.
    func fileObjection(req: Request) async throws -> Response {
        let (_, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        try Policy.requireMayObject(sheet, viewer)  // before the body is read
        let body = try req.content.decode(ObjectionRequest.self)
        let objection = try await Objections.file(
            on: sheet, reason: body.reason, evidence: body.evidence ?? [],
            rubric: try await RubricStore.rubric(id: sheet.$rubric.id, on: req.db),
            by: viewer, today: BureauCalendar.today(), on: req.db)
        return try await ObjectionDTO(objection).encodeResponse(status: .created, for: req)
    }

    struct DecisionRequest: Content {
        let reason: String
    }

    /// `dismiss` (驳回) or `uphold` (受理, the review reopens), by whoever publishes the sheet's level.
    func decideObjection(req: Request) async throws -> ObjectionDTO {
        let (_, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        let decision = req.parameters.get("decision") ?? ""
        guard decision == "dismiss" || decision == "uphold" else {
            throw Abort(.notFound, reason: "没有这个处理方式：\(decision)（dismiss、uphold）")
        }
        try Policy.requireMayTake(.reopen, on: sheet, viewer)  // before the body is read
        guard let objection = try await Objection.query(on: req.db).filter(\.$sheet.$id == sheet.requireID()).first()
        else {
            throw Abort(.notFound, reason: "该考核表没有申诉")
        }
        let body = try req.content.decode(DecisionRequest.self)
        try await Objections.decide(
            objection, uphold: decision == "uphold", reason: body.reason, sheet: sheet,
            by: viewer, on: req.db)
        return try ObjectionDTO(objection)
    }
}
