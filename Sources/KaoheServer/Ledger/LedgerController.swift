import Fluent
import KaoheCore
import Vapor

/// 活动台账 in the browser. Reaching it needs a role on the unit or above it (`unitOrAbove`, as the API);
/// recording needs `Policy.ledgerRecorder`'s permit, and a refusal comes back beside the field with the input kept.
struct LedgerController: RouteCollection {
    /// How much of a request the plan's attachment collects (EvidenceUploads.requestBodyLimit).
    let uploadLimit: ByteCount

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.ledger(.key), use: page)
        let ledger = routes.grouped(SiteURL.ledger(.key).pathComponents)
        ledger.post(use: record)
        ledger.post(":activity", "withdraw", use: withdraw)
        ledger.post("complete", use: complete)
        ledger.post("dues", use: saveDues)
        ledger.post("documents", use: recordDocument)
        ledger.upload(
            .POST, "documents", ":document", "file", limit: uploadLimit, spooledToDisk: true,
            admits: LedgerRequest.mayRecord, use: attachDocument)
        routes.get(.ledgerDocumentFile(.key, document: .key), use: downloadDocument)
        ledger.upload(.POST, "import", limit: "4mb", admits: LedgerRequest.mayRecord, use: importCSV)
    }

    struct ImportForm: Content {
        var file: File?
        var kind: String?
    }

    /// Past records from a CSV — activities, dues or documents, as chosen: all or none; the problems listed row by
    /// row beside the form.
    func importCSV(req: Request) async throws -> Response {
        let permit = try await LedgerRequest.recorder(req), unit = permit.unit
        let upload = try req.content.decode(ImportForm.self)
        let kind = LedgerImport.Kind(rawValue: upload.kind ?? "activities") ?? .activities
        let data = upload.file.map { Data($0.data.readableBytesView) } ?? Data()
        switch try await LedgerImport.run(
            kind, data, by: permit, as: try req.auth.require(User.self), today: BureauCalendar.today(),
            on: req.db)
        {
        case .imported(let count):
            let anchor =
                switch kind {
                case .activities: "records";
                case .dues: "dues";
                case .documents: "documents"
                }
            return req.redirect(
                to: .ledger(.init(unit.code)), query: ["done": "imported", "count": "\(count)"], fragment: anchor)
        case .problems(let problems):
            let lines =
                problems.prefix(50).map { "第 \($0.row) 行 \($0.field)：\(PageFormat.message($0.message))" }
                + (problems.count > 50 ? ["……另有 \(problems.count - 50) 处"] : [])
            let page = try await LedgerPage.query(
                unit, year: BureauCalendar.today().year, on: req, importProblems: lines,
                importKind: kind)
            return try await Self.refused(page, on: req)
        }
    }

    /// 细则 2.3: the secretary records a plan or summary reported; a refusal comes back beside the form.
    func recordDocument(req: Request) async throws -> Response {
        let permit = try await LedgerRequest.recorder(req), unit = permit.unit
        let input = try req.content.decode(Documents.Input.self)
        let year = input.year ?? BureauCalendar.today().year
        do {
            _ = try await Documents.record(input, by: permit, today: BureauCalendar.today(), on: req.db)
            return req.redirect(
                to: .ledger(.init(unit.code)), query: ["year": "\(year)", "done": "document"], fragment: "documents")
        } catch let problem as ValidationProblem {
            return try await refusedDocument(
                req, unit: unit, year: year, typed: input, message: PageFormat.message(problem.rule))
        } catch let abort as AbortError where abort.status == .conflict {
            return try await refusedDocument(
                req, unit: unit, year: year, typed: input, message: PageFormat.message(abort.reason),
                status: .conflict)
        }
    }

    /// The plan or summary itself, for the unit and those above it.
    func downloadDocument(req: Request) async throws -> Response {
        let unit = try await LedgerRequest.readable(req)
        return try await Documents.download(
            req.parameters.get("document", as: UUID.self), of: unit, settings: req.kaoheSettings, on: req.db)
    }

    /// The plan or summary itself, attached to its line; a refused file is named beside the table.
    func attachDocument(req: Request) async throws -> Response {
        let permit = try await LedgerRequest.recorder(req), unit = permit.unit
        let year = try LedgerRequest.year(req)
        do {
            let document = try await Documents.attach(
                try SpooledForm.file("file", of: req), to: req.parameters.get("document", as: UUID.self),
                by: permit, settings: req.kaoheSettings, on: req.db)
            return req.redirect(
                to: .ledger(.init(unit.code)), query: ["year": "\(document.year)", "done": "attached"],
                fragment: "documents")
        } catch let problem as ValidationProblem {
            let page = try await LedgerPage.query(
                unit, year: year, on: req, errors: ["documentFile": PageFormat.message(problem.rule)])
            return try await Self.refused(page, on: req)
        }
    }

    private func refusedDocument(
        _ req: Request, unit: Unit, year: Int, typed: Documents.Input, message: String,
        status: HTTPStatus = .unprocessableEntity
    ) async throws -> Response {
        var form = LedgerPage.Form()
        form.documentKind = typed.kind
        form.documentSubmittedOn = typed.submittedOn
        form.documentTitle = typed.title
        let page = try await LedgerPage.query(unit, year: year, on: req, form: form, errors: ["document": message])
        return try await Self.refused(page, status: status, on: req)
    }

    /// 党费: the secretary saves one month; a refusal comes back with what was typed and why, beside the form.
    func saveDues(req: Request) async throws -> Response {
        let permit = try await LedgerRequest.keeper(req), unit = permit.unit
        let post = try req.content.decode(LedgerPage.DuesPost.self)
        let today = BureauCalendar.today()
        let year = post.month.flatMap { Int($0.prefix(4)) } ?? today.year
        do {
            let month = try DuesLedger.month(post.month, today: today)
            _ = try await DuesLedger.save(post.input, month: month, by: permit, today: today, on: req.db)
            return req.redirect(
                to: .ledger(.init(unit.code)),
                query: ["year": "\(month.year)", "month": post.month ?? "", "done": "dues"],
                fragment: "dues")
        } catch let problem as ValidationProblem {
            return try await refusedDues(
                req, unit: unit, year: year, post: post, message: PageFormat.message(problem.rule),
                member: post.member(named: problem.field))
        } catch let abort as AbortError where abort.status == .conflict {
            // Stale: the month as it now stands, to be changed again.
            return try await refusedDues(
                req, unit: unit, year: year, month: post.month, post: nil,
                message: PageFormat.message(abort.reason), status: .conflict)
        }
    }

    private func refusedDues(
        _ req: Request, unit: Unit, year: Int, month: String? = nil, post: LedgerPage.DuesPost?,
        message: String, member: String? = nil, status: HTTPStatus = .unprocessableEntity
    ) async throws -> Response {
        let page = try await LedgerPage.query(
            unit, year: year, on: req, duesMonth: month, duesPost: post, duesError: message, duesMember: member)
        return try await Self.refused(page, status: status, on: req)
    }

    func page(req: Request) async throws -> View {
        let unit = try await LedgerRequest.readable(req)
        let notice: String? =
            switch req.query[String.self, at: "done"] {
            case "recorded": "已登记。"
            case "withdrawn": "已撤销该记录，撤销理由已保留。"
            case "complete": "已确认该季度台账记全，考核表将据此建议扣分。"
            case "dues": "已保存该月党费。"
            case "document": "已登记上报。"
            case "attached": "已附上原件。"
            case "imported": "已导入 \(req.query[Int.self, at: "count"] ?? 0) 行。"
            default: nil
            }
        return try await req.view.render(
            "ledger",
            LedgerPage.query(
                unit, year: try LedgerRequest.year(req), on: req,
                notice: notice, duesMonth: req.query[String.self, at: "month"]))
    }

    func record(req: Request) async throws -> Response {
        let permit = try await LedgerRequest.recorder(req), unit = permit.unit
        let form = try req.content.decode(LedgerPage.Form.self)
        do {
            let activity = try await Ledger.record(form.input, by: permit, today: BureauCalendar.today(), on: req.db)
            return req.redirect(
                to: .ledger(.init(unit.code)), query: ["year": String(activity.date.prefix(4)), "done": "recorded"])
        } catch let problem as ValidationProblem {
            let year = CalendarDay(form.date ?? "")?.year ?? BureauCalendar.today().year
            let page = try await LedgerPage.query(
                unit, year: year, on: req, form: form,
                errors: [problem.field: PageFormat.message(problem.rule)])
            return try await Self.refused(page, on: req)
        }
    }

    struct CompleteForm: Content {
        var quarter: String?
    }

    /// 部分记账 ends: the secretary confirms the quarter's ledger is complete.
    func complete(req: Request) async throws -> Response {
        let permit = try await LedgerRequest.recorder(req), unit = permit.unit
        let quarter = try LedgerRequest.quarter(try req.content.decode(CompleteForm.self).quarter)
        try await Ledger.markComplete(quarter, by: permit, on: req.db)
        return req.redirect(
            to: .ledger(.init(unit.code)), query: ["year": "\(quarter.year)", "done": "complete"],
            fragment: "compliance")
    }

    struct WithdrawForm: Content {
        var reason: String?
    }

    func withdraw(req: Request) async throws -> Response {
        let permit = try await LedgerRequest.recorder(req), unit = permit.unit
        let id = req.parameters.get("activity", as: UUID.self)
        let reason = try req.content.decode(WithdrawForm.self).reason
        // Back to the year the record belongs to.
        var year = BureauCalendar.today().year
        if let id, let record = try await Activity.find(id, on: req.db), let held = Int(record.date.prefix(4)) {
            year = held
        }
        do {
            try await Ledger.withdraw(id, reason: reason, by: permit, on: req.db)
            return req.redirect(
                to: .ledger(.init(unit.code)), query: ["year": "\(year)", "done": "withdrawn"], fragment: "records")
        } catch let problem as ValidationProblem {
            let page = try await LedgerPage.query(
                unit, year: year, on: req,
                withdrawError: id.map { ($0, PageFormat.message(problem.rule)) })
            return try await Self.refused(page, on: req)
        } catch let abort as AbortError where abort.status == .notFound {
            // Withdrawn meanwhile (a double click, a colleague): the records as they now stand, saying so.
            let page = try await LedgerPage.query(
                unit, year: year, on: req, notice: "该记录已被撤销（可能已由他人撤销或重复提交），下面是现在的记录。")
            return try await Self.refused(page, status: .notFound, on: req)
        }
    }

    /// The page again with what was refused beside its form, answered with the refusal's status.
    private static func refused(_ page: LedgerPage, status: HTTPStatus = .unprocessableEntity, on req: Request)
        async throws -> Response
    {
        let response = try await req.view.render("ledger", page).encodeResponse(for: req)
        response.status = status
        return response
    }
}
