import Fluent
import KaoheCore
import Vapor

/// 考核细则: everyone signed in reads the rules they are assessed by; the admin uploads new rubrics and
/// edits numbers, each save a new, checked, audited version.
struct RubricsController: RouteCollection {

    /// Reading is open to every signed-in user; these routes are registered under `.signedIn`.
    struct Reading: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.get(.rubrics, use: RubricsController().list)
            routes.get(.rubric(.key, number: .key), use: RubricsController().show)
            routes.get(.rubricYAML(.key, number: .key), use: RubricsController().download)
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.upload(.POST, "rubrics", limit: "1mb", admits: UploadRoute.ruleSuffices, use: upload)
        routes.post("rubrics", ":key", ":number", "edit", use: edit)
    }

    func list(req: Request) async throws -> View {
        try await req.view.render("rubrics", RubricListPage.query(on: req))
    }

    func show(req: Request) async throws -> View {
        try await req.view.render(
            "rubric",
            RubricPage.make(try await version(req), on: req, saved: req.query[String.self, at: "saved"] != nil))
    }

    func download(req: Request) async throws -> Response {
        let version = try await version(req)
        let response = Response(status: .ok, body: .init(string: version.yaml))
        response.headers.contentType = HTTPMediaType(
            type: "application", subType: "yaml", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: "\(version.key)-v\(version.number).yaml")
        return response
    }

    struct UploadForm: Content {
        var file: File?
        var note: String?
    }

    func upload(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let form = try req.content.decode(UploadForm.self)
        guard let file = form.file, file.data.readableBytes > 0 else {
            return try await listWith(["请选择要上传的细则文件（YAML）"], on: req)
        }
        guard let yaml = String(data: Data(file.data.readableBytesView), encoding: .utf8) else {
            return try await listWith(["细则文件须为 UTF-8 编码的 YAML"], on: req)
        }
        do {
            let saved = try await RubricStore.save(
                yaml: yaml, fileName: file.filename, note: form.note ?? "上传", actor: user.username, on: req.db)
            return req.redirect(to: .rubric(.init(saved.key), number: .init(saved.number)), query: ["saved": "1"])
        } catch let rejected as RubricStore.Rejected {
            return try await listWith(rejected.problems, on: req)
        }
    }

    func edit(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let current = try await version(req)
        let fields = try req.content.decode([String: String].self)
        let note = fields["note"]?.trimmingCharacters(in: .whitespaces) ?? ""
        do {
            guard !note.isEmpty else { throw RubricStore.Rejected(problems: ["修改说明：请写明为何修改（记入审计日志）"]) }
            let edits = try RubricEdits.parse(fields, against: try RubricStore.rubric(of: current))
            guard !edits.isEmpty else { throw RubricStore.Rejected(problems: ["没有改动任何数字"]) }
            let yaml = try RubricEdits.apply(
                edits, to: current.yaml, newLabel: "\(current.label)+\(current.number + 1)")
            let saved = try await RubricStore.save(
                yaml: yaml, fileName: "\(current.key)#\(current.number + 1)", note: note, actor: user.username,
                expecting: current.number, on: req.db)
            return req.redirect(to: .rubric(.init(saved.key), number: .init(saved.number)), query: ["saved": "1"])
        } catch let rejected as RubricStore.Rejected {
            let response = try await req.view.render(
                "rubric", RubricPage.make(current, on: req, problems: rejected.problems, typed: fields)
            ).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        } catch let stale as RubricStore.Stale {
            // The newest version, to be edited again: the typed numbers belong to the older one.
            let problem =
                "未保存：第 \(current.number) 版之后，\(stale.latest.createdBy) 已保存第 \(stale.latest.number) 版。"
                + "下面是最新版本，请在其上重新修改（您的修改说明：\(note.isEmpty ? "无" : note)）。"
            let response = try await req.view.render(
                "rubric", RubricPage.make(stale.latest, on: req, problems: [problem], typed: ["note": note])
            ).encodeResponse(for: req)
            response.status = .conflict
            return response
        }
    }

    private func version(_ req: Request) async throws -> RubricVersion {
        let key = req.parameters.get("key") ?? ""
        guard let number = req.parameters.get("number", as: Int.self),
            let version = try await RubricVersion.query(on: req.db).filter(\.$key == key).filter(\.$number == number)
                .first()
        else { throw Abort(.notFound, reason: "没有这个细则版本") }
        return version
    }

    private func listWith(_ problems: [String], on req: Request) async throws -> Response {
        let response = try await req.view.render("rubrics", RubricListPage.query(on: req, problems: problems))
            .encodeResponse(for: req)
        response.status = .unprocessableEntity
        return response
    }
}
