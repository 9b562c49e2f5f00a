import Fluent
import KaoheCore
import Vapor

/// 组织与人员 for the admin: the tree, adding a unit or member, importing a CSV.
struct OrgAdminController: RouteCollection {

    func boot(routes: any RoutesBuilder) throws {
        let org = routes.grouped("admin", "org")
        routes.get(.org, use: show)
        org.post("units", use: addUnit)
        // Files up to 2 MB: an org tree of thousands of members is a few hundred kilobytes.
        org.upload(.POST, "import", limit: "2mb", admits: UploadRoute.ruleSuffices, use: importCSV)
        org.post("import", "confirm", use: confirmImport)
        routes.get(.orgUnit(.key), use: editForm)
        org.post("units", ":code", use: saveEdit)
        org.post("letterhead", use: saveLetterhead)
    }

    struct LetterheadForm: Content {
        var issuer: String?
        var docNumber: String?
    }

    /// 发文机关与发文字号: saved as the API saves it; a refusal keeps what was typed beside the field it concerns.
    func saveLetterhead(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let form = try req.content.decode(LetterheadForm.self)
        let typed = Letterhead(issuer: form.issuer ?? "", docNumber: form.docNumber ?? "")
        do {
            try await Letterhead.set(
                try Letterhead.checked(issuer: typed.issuer, docNumber: typed.docNumber), by: user, on: req.db)
            return req.redirect(to: .org, query: ["done": "letterhead"], fragment: "letterhead")
        } catch let problem as ValidationProblem {
            let page = try await OrgAdminPage.query(
                on: req, letterhead: typed, letterheadErrors: [problem.field: PageFormat.message(problem.rule)])
            let response = try await req.view.render("org", page).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    struct EditPage: Encodable {
        let chrome: PageChrome
        let code: String
        let kindLabel: String
        let isMember: Bool
        let form: OrgAdminPage.UnitForm
        let error: String?
        /// A member's 组织关系 (`MembershipSection`).
        let membership: MembershipSection?
        /// A branch's or group's 更名、调整隶属、撤销 (`UnitChangeSection`).
        let change: UnitChangeSection?
        let notice: String?
    }

    func editForm(req: Request) async throws -> Response {
        let unit = try await unit(req)
        let done: String? =
            switch req.query[String.self, at: "done"] {
            case "membership": "已记录组织关系变动。"
            case "change": "已记录更名或调整隶属，自生效日起计算。"
            case "retired": "已撤销，历史记录保留。"
            default: nil
            }
        return try await Self.editPage(
            unit, membership: unit.kind == .member ? try await .make(of: unit, on: req.db) : nil, notice: done,
            on: req)
    }

    /// The unit's page as stored, with its member's 组织关系 as given (a refused change keeps what was typed).
    static func editPage(
        _ unit: Unit, membership: MembershipSection?, change: UnitChangeSection? = nil, notice: String? = nil,
        status: HTTPStatus = .ok, on req: Request
    ) async throws -> Response {
        let change = try await Self.change(of: unit, given: change, on: req.db)
        let form = OrgAdminPage.UnitForm(
            kind: unit.kind.rawValue, code: unit.code, name: unit.name, parent: unit.parentCode,
            position: unit.position, joinedOn: unit.joinedOn, midLevel: unit.holdsMidLevelPost ? "是" : "否",
            leadership: unit.inLeadershipGroup == true ? "是" : "否")
        let response = try await req.view.render(
            "unit",
            EditPage(
                chrome: try await PageChrome.make("编辑 \(unit.name)", req), code: unit.code,
                kindLabel: unit.kind.label, isMember: unit.kind == .member, form: form, error: nil,
                membership: membership, change: change, notice: notice)
        ).encodeResponse(for: req)
        response.status = status
        return response
    }

    func saveEdit(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let unit = try await unit(req)
        let form = try req.content.decode(OrgAdminPage.UnitForm.self)
        do {
            try await OrgTree.update(
                unit.code, name: form.name ?? "", position: form.position, joinedOn: form.joinedOn,
                midLevel: form.midLevel == "是", leadership: form.leadership.map { $0 == "是" }, actor: user.username,
                on: req.db)
            return req.redirect(to: .org)
        } catch let problem as OrgTree.Problem {
            let page = EditPage(
                chrome: try await PageChrome.make("编辑 \(unit.name)", req), code: unit.code, kindLabel: unit.kind.label,
                isMember: unit.kind == .member, form: form, error: problem.description,
                membership: unit.kind == .member ? try await .make(of: unit, on: req.db) : nil,
                change: try await Self.change(of: unit, given: nil, on: req.db), notice: nil)
            let response = try await req.view.render("unit", page).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }

    /// A branch's or group's change section: as given (a refused form), or fresh.
    private static func change(of unit: Unit, given: UnitChangeSection?, on db: any Database) async throws
        -> UnitChangeSection?
    {
        guard [.branch, .group].contains(unit.kind) else { return nil }
        if let given { return given }
        return try await .make(of: unit, on: db)
    }

    private func unit(_ req: Request) async throws -> Unit {
        let code = req.parameters.get("code") ?? ""
        guard let unit = try await Unit.query(on: req.db).filter(\.$code == code).first() else {
            throw Abort(.notFound, reason: "组织 \(code) 不存在")
        }
        return unit
    }

    func show(req: Request) async throws -> View {
        let done: String? =
            switch req.query[String.self, at: "done"] {
            case "removed": "已删除误建的组织，并记入审计日志。"
            case "letterhead": "已保存发文机关与发文字号，今后下载的 Word 公文都按此印制。"
            default: nil
            }
        return try await req.view.render("org", OrgAdminPage.query(on: req, notice: done))
    }

    func addUnit(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let form = try req.content.decode(OrgAdminPage.UnitForm.self)
        let table = [
            ["kind", "code", "name", "parent", "position", "joinedOn", "midLevel", "leadership"],
            [
                form.kind ?? "", form.code ?? "", form.name ?? "", form.parent ?? "", form.position ?? "",
                form.joinedOn ?? "", form.midLevel ?? "", form.leadership ?? "",
            ],
        ]
        switch try await OrgImport.check(table, on: req.db) {
        case .problems(let problems):
            let message = problems.map(\.reason).joined(separator: "；")
            let page = try await OrgAdminPage.query(on: req, form: form, formError: message)
            return try await render(page, status: .unprocessableEntity, on: req)
        case .rows(let rows):
            if let kept = rows.first(where: \.exists) {
                let page = try await OrgAdminPage.query(on: req, form: form, formError: "代码 \(kept.code) 已存在")
                return try await render(page, status: .unprocessableEntity, on: req)
            }
            try await OrgImport.apply(rows, actor: user.username, on: req.db)
            return req.redirect(to: .org)
        }
    }

    struct ImportForm: Content {
        var file: File?
    }

    func importCSV(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let upload = try req.content.decode(ImportForm.self)
        guard let file = upload.file, file.data.readableBytes > 0 else {
            let page = try await OrgAdminPage.query(on: req, importProblems: ["请选择要导入的 CSV 文件"])
            return try await render(page, status: .unprocessableEntity, on: req)
        }
        let rows: [[String]]
        switch CSVTable.rows(Data(file.data.readableBytesView)) {
        case .failure(let unreadable):
            let page = try await OrgAdminPage.query(on: req, importProblems: [PageFormat.message(unreadable.message)])
            return try await render(page, status: .unprocessableEntity, on: req)
        case .success(let read): rows = read
        }
        let today = BureauCalendar.today()
        switch try await OrgUpdate.plan(rows, on: req.db, today: today) {
        case .problems(let problems):
            let page = try await OrgAdminPage.query(on: req, importProblems: problems.map(\.description))
            return try await render(page, status: .unprocessableEntity, on: req)
        case .plan(let plan) where plan.isEmpty:
            let page = try await OrgAdminPage.query(on: req, notice: "文件与现有组织一致，没有需要变动的内容。")
            return try await render(page, status: .ok, on: req)
        case .plan(let plan):
            // A first import only adds: done at once. Anything kept that would change waits for 确认导入.
            if plan.allSatisfy(\.isAddition) {
                return try await applyImport(plan, actor: user.username, today: today, on: req)
            }
            let token = try OrgImportPreviews(req.application).keep(Data(file.data.readableBytesView))
            var page = try await OrgAdminPage.query(on: req)
            page.preview = Self.preview(plan, token: token, changedMeanwhile: false)
            return try await render(page, status: .ok, on: req)
        }
    }

    struct ConfirmForm: Content {
        var token: String?
        var digest: String?
    }

    /// 确认导入: the file kept at preview, planned again against the tree as it is now; applied only if the plan is
    /// the one shown, else the new preview is shown (409) to be confirmed again.
    func confirmImport(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let form = try req.content.decode(ConfirmForm.self)
        let previews = OrgImportPreviews(req.application)
        guard let token = form.token, let data = previews.read(token),
            case .success(let rows) = CSVTable.rows(data)
        else {
            let page = try await OrgAdminPage.query(on: req, importProblems: ["预览已过期，请重新选择文件导入"])
            return try await render(page, status: .conflict, on: req)
        }
        let today = BureauCalendar.today()
        switch try await OrgUpdate.plan(rows, on: req.db, today: today) {
        case .problems(let problems):
            let page = try await OrgAdminPage.query(
                on: req, importProblems: ["组织已有变动，文件不再适用："] + problems.map(\.description))
            return try await render(page, status: .conflict, on: req)
        case .plan(let plan) where OrgUpdate.digest(plan) != form.digest:
            var page = try await OrgAdminPage.query(on: req)
            page.preview = Self.preview(plan, token: token, changedMeanwhile: true)
            return try await render(page, status: .conflict, on: req)
        case .plan(let plan):
            let response = try await applyImport(plan, actor: user.username, today: today, on: req)
            previews.discard(token)
            return response
        }
    }

    private func applyImport(_ plan: [OrgUpdate.Change], actor: String, today: CalendarDay, on req: Request)
        async throws -> Response
    {
        do {
            try await OrgUpdate.apply(plan, actor: actor, today: today, on: req.db)
        } catch let refused as OrgUpdate.Refused {
            let page = try await OrgAdminPage.query(on: req, importProblems: [refused.problem.description])
            return try await render(page, status: .unprocessableEntity, on: req)
        }
        let onlyAdded = plan.allSatisfy(\.isAddition)
        let page = try await OrgAdminPage.query(
            on: req, notice: onlyAdded ? "已导入 \(plan.count) 行。" : "已导入：\(plan.count) 项变动，均已记入审计日志。")
        return try await render(page, status: .ok, on: req)
    }

    static func preview(_ plan: [OrgUpdate.Change], token: String, changedMeanwhile: Bool) -> OrgAdminPage.Preview {
        OrgAdminPage.Preview(
            token: token, digest: OrgUpdate.digest(plan),
            lines: plan.map { .init(line: $0.line, code: $0.code, label: $0.label, summary: $0.summary) },
            changedMeanwhile: changedMeanwhile)
    }

    private func render(_ page: OrgAdminPage, status: HTTPResponseStatus, on req: Request) async throws -> Response {
        let response = try await req.view.render("org", page).encodeResponse(for: req)
        response.status = status
        return response
    }
}
