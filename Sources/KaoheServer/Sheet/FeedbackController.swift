import Fluent
import KaoheCore
import Vapor

/// The pages of a sheet after the panel: 反馈 (opinions), evidence upload and download, and the objection.
/// Every check is the API's own (`Policy`, `Objections`, `EvidenceUploads`).
struct FeedbackController: RouteCollection {
    /// How much of a request an upload route collects (EvidenceUploads.requestBodyLimit).
    let uploadLimit: ByteCount

    func boot(routes: any RoutesBuilder) throws {
        let sheet = routes.grouped("periods", ":period", "sheets", ":unit")
        routes.get(.feedback(.key, unit: .key), use: page)
        sheet.upload(
            .POST, "evidence", limit: uploadLimit, spooledToDisk: true, admits: SheetLookup.mayUploadEvidence,
            use: upload)
        routes.get(.evidence(.key, unit: .key, evidence: .key), use: download)
        sheet.post("objection", use: fileObjection)
        sheet.post("objection", ":decision", use: decideObjection)
    }

    func page(req: Request) async throws -> View {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        let notice = req.query[String.self, at: "done"].flatMap(Self.notice)
        return try await req.view.render("feedback", FeedbackPage.query(period, sheet, viewer, on: req, notice: notice))
    }

    /// Only those who may see the sheet get its evidence.
    func download(req: Request) async throws -> Response {
        let (_, sheet, _) = try await SheetLookup.visibleSheet(req)
        return try await EvidenceStore.download(
            req.parameters.get("evidence", as: UUID.self), of: sheet, settings: req.kaoheSettings,
            on: req.db)
    }

    struct UploadForm: Content {
        var source: String?
    }

    func upload(req: Request) async throws -> Response {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        let form = try SpooledForm.decode(UploadForm.self, from: req)
        do {
            try Policy.mayUploadEvidence(sheet, viewer)
            let file = try SpooledForm.file("file", of: req), settings = req.kaoheSettings, actor = viewer.user.username
            try await req.db.writeTransaction { db in
                _ = try await EvidenceUploads.accept(
                    file, source: form.source, sheet: sheet, policy: settings.evidence,
                    store: EvidenceStore(settings), actor: actor, on: db)
            }
            return req.redirect(
                to: .feedback(.init(period.code), unit: .init(sheet.unitCode)), query: ["done": "evidence"],
                fragment: "evidence")
        } catch let problem as ValidationProblem {
            return try await rerender(
                req, period, sheet, viewer, errors: [problem.field: PageFormat.message(problem.rule)],
                form: ["source": form.source ?? ""])
        } catch let abort as AbortError where abort.status == .conflict {
            return try await rerender(
                req, period, sheet, viewer, errors: ["page": "未上传：\(PageFormat.message(abort.reason))"],
                form: ["source": form.source ?? ""], status: .conflict)
        }
    }

    struct ReasonForm: Content {
        var reason: String?
    }

    func fileObjection(req: Request) async throws -> Response {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        let form = try req.content.decode(ReasonForm.self)
        do {
            try Policy.requireMayObject(sheet, viewer)
            _ = try await Objections.file(
                on: sheet, reason: form.reason ?? "", evidence: [],
                rubric: try await RubricStore.rubric(id: sheet.$rubric.id, on: req.db),
                by: viewer, today: BureauCalendar.today(), on: req.db)
            return req.redirect(
                to: .feedback(.init(period.code), unit: .init(sheet.unitCode)), query: ["done": "objection"])
        } catch let problem as ValidationProblem {
            return try await rerender(
                req, period, sheet, viewer, errors: ["objection": PageFormat.message(problem.rule)],
                form: ["reason": form.reason ?? ""])
        } catch let abort as AbortError where abort.status == .conflict {
            // Filed by a colleague meanwhile, or the window closed while the reason was written.
            return try await rerender(
                req, period, sheet, viewer, errors: ["page": "申诉未提出：\(PageFormat.message(abort.reason))"],
                form: ["reason": form.reason ?? "", "unsaved": form.reason ?? ""], status: .conflict)
        }
    }

    func decideObjection(req: Request) async throws -> Response {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        let decision = req.parameters.get("decision") ?? ""
        guard decision == "dismiss" || decision == "uphold" else { throw Abort(.notFound, reason: "没有这个处理方式") }
        try Policy.requireMayTake(.reopen, on: sheet, viewer)
        guard let objection = try await Objection.query(on: req.db).filter(\.$sheet.$id == sheet.requireID()).first()
        else {
            throw Abort(.notFound, reason: "该考核表没有申诉")
        }
        let form = try req.content.decode(ReasonForm.self)
        do {
            try await Objections.decide(
                objection, uphold: decision == "uphold", reason: form.reason ?? "", sheet: sheet,
                by: viewer, on: req.db)
            return req.redirect(
                to: .feedback(.init(period.code), unit: .init(sheet.unitCode)),
                query: ["done": decision == "uphold" ? "upheld" : "dismissed"])
        } catch let problem as ValidationProblem {
            return try await rerender(
                req, period, sheet, viewer, errors: ["decision": PageFormat.message(problem.rule)],
                form: ["decision": form.reason ?? ""])
        } catch let abort as AbortError where abort.status == .conflict {
            return try await rerender(
                req, period, sheet, viewer, errors: ["page": "未处理：\(PageFormat.message(abort.reason))"],
                form: ["decision": form.reason ?? "", "unsaved": form.reason ?? ""], status: .conflict)
        }
    }

    private func rerender(
        _ req: Request, _ period: Period, _ sheet: Sheet, _ viewer: Policy.Viewer,
        errors: [String: String], form: [String: String], status: HTTPStatus = .unprocessableEntity
    ) async throws -> Response {
        // Read again: a refusal may come after a colleague's step, and the page shows the sheet as it now is.
        let current = try await Sheet.query(on: req.db).filter(\.$id == sheet.requireID()).first() ?? sheet
        let page = try await FeedbackPage.query(period, current, viewer, on: req, errors: errors, form: form)
        let response = try await req.view.render("feedback", page).encodeResponse(for: req)
        response.status = status
        return response
    }

    /// The notice after a step on this page, by the `done` its redirect names.
    static func notice(_ done: String) -> String? {
        switch done {
        case "evidence": "已上传考核依据。"
        case "objection": "已提出申诉，组织委员将在工作台看到并受理或驳回，结果会显示在本页。"
        case "upheld": "已受理申诉：考核表退回考核小组重新考核，考核小组在工作台看到申诉理由；复核结果公布后生效。"
        case "dismissed": "已驳回申诉，驳回理由已告知被考核单位。"
        default: nil
        }
    }
}
