import Fluent
import KaoheCore
import Vapor

/// 扣奖 in the browser: the organizer enters the bases (a form with every branch, or a CSV), the general branch's
/// roles read the sheet with each formula filled in, a branch secretary reads their own line; exports and the
/// printable A4 sheet for the finance office. Every number is `Penalties.document`'s.
struct PenaltiesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let period = routes.grouped("periods", ":period")
        routes.get(.penalties(.key), use: page)
        period.post("penalties", "bases", use: saveBases)
        period.upload(
            .POST, "penalties", "import", limit: "1mb", admits: { _ = try await Self.setter($0) }, use: importBases)
        routes.get(.penaltiesPrint(.key), use: print)
        routes.get(.penaltiesCSV(.key), use: Penalties.csv)
        routes.get(.penaltiesXLSX(.key), use: Penalties.xlsx)
    }

    func page(req: Request) async throws -> View {
        let period = try await SheetLookup.period(req)
        let saved = req.query[Int.self, at: "saved"].map { "已保存 \($0) 个支部的基数奖金。" }
        return try await req.view.render("penalties", PenaltiesPage.query(period, on: req, state: .init(notice: saved)))
    }

    /// The form's fields are `bases[branch-1]`; every one is checked before any is saved, and a refusal keeps
    /// what was typed beside the field it concerns.
    struct BasesForm: Content {
        var bases: [String: String]?
    }

    func saveBases(req: Request) async throws -> Response {
        let (period, user) = try await Self.setter(req)
        let typed = try req.content.decode(BasesForm.self).bases ?? [:]
        let sheets = try await Penalties.branchSheets(of: period, on: req.db)
        let known = Set(sheets.map(\.unitCode))
        // A box left empty keeps the base it had; only what was typed is saved.
        let bases = typed.filter { known.contains($0.key) && !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
            .sorted { $0.key < $1.key }.map { Penalties.Base(unit: $0.key, amount: $0.value) }
        var errors: [String: String] = [:]
        for base in bases {
            do { _ = try Penalties.amount(base.amount, field: base.unit) } catch let problem as ValidationProblem {
                errors[base.unit] = PageFormat.message(problem.rule)
            }
        }
        guard errors.isEmpty else {
            let state = PenaltiesPage.State(problem: "未保存：\(errors.count) 个金额有误，请按提示修改。", errors: errors, typed: typed)
            return try await render(period, state: state, status: .unprocessableEntity, on: req)
        }
        try await Penalties.setBases(bases, of: period, by: user, on: req.db)
        return req.redirect(to: .penalties(.init(period.code)), query: ["saved": "\(bases.count)"])
    }

    struct ImportForm: Content {
        var file: File?
    }

    /// A CSV of `组织代码,基数奖金` (or `unit,amount`), UTF-8 or GBK as Excel and WPS save it: all rows or none.
    func importBases(req: Request) async throws -> Response {
        let (period, user) = try await Self.setter(req)
        let upload = try req.content.decode(ImportForm.self)
        guard let file = upload.file, file.data.readableBytes > 0 else {
            return try await render(
                period, state: .init(importProblems: ["请选择 UTF-8 或 GBK 编码的 CSV 文件"]), status: .unprocessableEntity,
                on: req)
        }
        let table: [[String]]
        switch CSVTable.rows(Data(file.data.readableBytesView)) {
        case .failure(let unreadable):
            return try await render(
                period, state: .init(importProblems: [PageFormat.message(unreadable.message)]),
                status: .unprocessableEntity, on: req)
        case .success(let read): table = read
        }
        guard let header = table.first else {
            return try await render(
                period, state: .init(importProblems: ["文件是空的"]), status: .unprocessableEntity, on: req)
        }
        let columns = header.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let unitColumn = columns.firstIndex(where: { ["组织代码", "代码", "unit"].contains($0) }),
            let amountColumn = columns.firstIndex(where: { ["基数奖金", "行政考核基数奖金", "金额", "amount"].contains($0) })
        else {
            return try await render(
                period, state: .init(importProblems: ["第 1 行须有“组织代码”和“基数奖金”两列"]), status: .unprocessableEntity, on: req)
        }
        let bases = table.dropFirst().map { row in
            Penalties.Base(
                unit: row.indices.contains(unitColumn) ? row[unitColumn].trimmingCharacters(in: .whitespaces) : "",
                amount: row.indices.contains(amountColumn) ? row[amountColumn] : "")
        }
        do {
            try await Penalties.setBases(bases, of: period, by: user, on: req.db)
        } catch let problem as ValidationProblem {
            // bases[3].amount → 第 5 行 (the header is line 1).
            let line =
                problem.field.firstMatch(of: /bases\[(\d+)\]/).flatMap { Int($0.output.1) }.map { "第 \($0 + 2) 行：" }
                ?? ""
            return try await render(
                period, state: .init(importProblems: [line + PageFormat.message(problem.rule)]),
                status: .unprocessableEntity, on: req)
        }
        return req.redirect(to: .penalties(.init(period.code)), query: ["saved": "\(bases.count)"])
    }

    /// 扣奖 sheet on A4 for the finance office, with signature lines.
    func print(req: Request) async throws -> View {
        let period = try await SheetLookup.period(req)
        let page = try await PenaltiesPage.query(period, on: req, state: .init())
        guard page.published, page.mayReadAll else { throw Abort(.notFound, reason: "\(period.code) 的考核结果尚未公布") }
        return try await req.view.render("penalties-print", page)
    }

    static func setter(_ req: Request) async throws -> (Period, User) {
        let user = try req.auth.require(User.self)
        try await Policy.requirePenaltyBaseSetter(user, on: req.db)
        return (try await SheetLookup.period(req), user)
    }

    private func render(_ period: Period, state: PenaltiesPage.State, status: HTTPResponseStatus, on req: Request)
        async throws -> Response
    {
        let response = try await req.view.render("penalties", PenaltiesPage.query(period, on: req, state: state))
            .encodeResponse(for: req)
        response.status = status
        return response
    }
}
