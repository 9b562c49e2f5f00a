import Fluent
import KaoheCore
import Vapor

/// 考核表 in the browser: the sheet, its entries, the panel's opinions and the workflow moves. Every check is the
/// API's own (`SheetLookup`, `Policy`, `Sheets`); a refusal the person can act on re-renders the page with the
/// message beside the form and their input kept.
struct SheetController: RouteCollection {
    /// How much of a request an upload route collects (EvidenceUploads.requestBodyLimit).
    let uploadLimit: ByteCount

    func boot(routes: any RoutesBuilder) throws {
        let sheet = routes.grouped("periods", ":period", "sheets", ":unit")
        routes.get(.sheet(.key, unit: .key), use: page)
        // An entry may carry its evidence file, so the body is collected up to the upload limit.
        sheet.upload(
            .POST, "entries", limit: uploadLimit, spooledToDisk: true, admits: SheetLookup.mayWriteEntries,
            use: addEntry)
        sheet.post("entries", ":entry", "delete", use: removeEntry)
        sheet.post("entries", ":entry", "mitigation", use: decideMitigation)
        sheet.post("actions", ":action", use: act)
        sheet.post("opinions", use: setOpinion)
        sheet.post("suggestions", "dismiss", use: dismissSuggestion)
    }

    struct DismissForm: Content {
        var rule: String?
        var reason: String?
    }

    /// A suggestion set aside with its reason; a refusal says why at the page's top.
    func dismissSuggestion(req: Request) async throws -> Response {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        let form = try req.content.decode(DismissForm.self)
        do {
            _ = try await Sheets.dismissSuggestion(
                rule: form.rule, reason: form.reason, on: sheet, of: period, by: viewer, on: req.db)
            return redirect(req, period, sheet, done: "dismissed", anchor: "suggestions")
        } catch let problem as ValidationProblem {
            return try await rerender(
                req, period, sheet, viewer,
                state: .init(problem: "未忽略：\(PageFormat.message(problem.rule))", unsaved: form.reason),
                status: .unprocessableEntity)
        } catch let abort as AbortError where abort.status == .conflict {
            return try await rerender(
                req, period, sheet, viewer,
                state: .init(problem: "未忽略：\(PageFormat.message(abort.reason))", unsaved: form.reason),
                status: .conflict)
        }
    }

    func page(req: Request) async throws -> View {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        let done = req.query[String.self, at: "done"].flatMap(Self.notice)
        return try await req.view.render(
            "sheet", SheetPage.query(period, sheet, viewer, on: req, state: .init(notice: done)))
    }

    // MARK: entries

    func addEntry(req: Request) async throws -> Response {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        let (form, refused) = try SpooledForm.typed(EntryForm.self, from: req)
        do {
            _ = try Policy.writableStage(sheet, viewer)  // Sheets.add checks it again, in its transaction
            return try await add(form, refused: refused, req, period, sheet, viewer)
        } catch let abort as AbortError where abort.status == .conflict {
            // The sheet moved on meanwhile (报送, 转交, 考核完毕 by a colleague): its form is gone, the text is not.
            let typed = [form.note, form.case].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
            return try await rerender(
                req, period, sheet, viewer,
                state: .init(problem: "未添加记录：\(PageFormat.message(abort.reason))", unsaved: typed),
                status: .conflict)
        }
    }

    private func add(
        _ form: EntryForm, refused: ValidationProblem?, _ req: Request, _ period: Period, _ sheet: Sheet,
        _ viewer: Policy.Viewer
    ) async throws -> Response {
        let upload = try? SpooledForm.typed(EvidenceAttachment.self, from: req).form
        let rubric = try await RubricStore.rubric(id: sheet.$rubric.id, on: req.db)
        let ruleID = EntryForm.text(form.rule)
        let item = rubric.items.first { item in item.rules.contains { $0.id == ruleID } }?.id
        var state = SheetPage.FormState(entryItem: item, entry: form, evidenceSource: upload?.source)
        do {
            let entry = try form.entry()
            do {
                if let refused { throw refused }
                let file = try SpooledForm.file("file", of: req)
                let details = try Sheets.EntryDetails(source: upload?.source, reportedOn: form.reportedOn)
                // The file and the entry land together or not at all.
                try await req.db.writeTransaction { db in
                    var evidence: [UUID] = []
                    if let file {
                        evidence.append(
                            try await EvidenceUploads.accept(
                                file, source: upload?.source, sheet: sheet,
                                policy: req.kaoheSettings.evidence, store: EvidenceStore(req.kaoheSettings),
                                actor: viewer.user.username, on: db
                            ).requireID())
                    }
                    try await Sheets.add(
                        entry, details: details, to: sheet, by: viewer, rubric: rubric,
                        evidence: evidence, on: db)
                }
                return redirect(req, period, sheet, done: "entry", anchor: item.map { "item-\($0)" })
            } catch let problem as ValidationProblem
                where ["file", "source", "note", "case", "selfFound", "reportedOn"].contains(problem.field)
            {
                state.entryErrors = [problem.field: PageFormat.message(problem.rule)]
            } catch let problem as ValidationProblem {
                // KaoheCore refused it: say why beside each field, in the words of the 细则.
                let errors = EntryForm.problems(of: entry, rubric: rubric)
                state.entryErrors = errors.isEmpty ? ["rule": PageFormat.message(problem.rule)] : errors
            }
        } catch let unreadable as EntryForm.Unreadable {
            state.entryErrors = unreadable.errors
        }
        if let item {
            state.problem = "未添加记录，请按 \(item) 下的提示修改。"
            state.problemLink = "#item-\(item)"
        } else {
            state.problem = "未添加记录：\(state.entryErrors.values.sorted().joined(separator: "；"))"
        }
        return try await rerender(req, period, sheet, viewer, state: state, status: .unprocessableEntity)
    }

    /// The source of the evidence file an entry may carry (the file itself is `SpooledForm.file("file")`).
    struct EvidenceAttachment: Content {
        var source: String?
    }

    struct RemoveForm: Content {
        var reason: String?
    }

    /// An entry never submitted is deleted; any other is withdrawn with the reason given (`Sheets.remove`).
    func removeEntry(req: Request) async throws -> Response {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        let form = try req.content.decode(RemoveForm.self)
        do {
            let removal = try await Sheets.remove(
                req.parameters.get("entry", as: UUID.self), from: sheet, by: viewer,
                reason: form.reason, on: req.db)
            return redirect(req, period, sheet, done: removal == .deleted ? "deleted" : "withdrawn")
        } catch let problem as ValidationProblem {
            return try await rerender(
                req, period, sheet, viewer, state: .init(problem: "未撤销：\(PageFormat.message(problem.rule))"),
                status: .unprocessableEntity)
        } catch let abort as AbortError where abort.status == .conflict {
            return try await rerender(
                req, period, sheet, viewer, state: .init(problem: "未撤销：\(PageFormat.message(abort.reason))"),
                status: .conflict)
        } catch let abort as AbortError where abort.status == .notFound {
            // Deleted or withdrawn meanwhile (a second tab, a colleague): the sheet as it now is, saying so.
            return try await rerender(
                req, period, sheet, viewer, state: .init(problem: "该记录已被删除或撤销，下面是考核表现在的样子。"),
                status: .notFound)
        }
    }

    struct MitigationForm: Content {
        var decision: String?
        var reason: String?
    }

    /// 办法 三(二): the panel confirms or refuses a unit's 从轻/不予扣分 with a reason.
    func decideMitigation(req: Request) async throws -> Response {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        let form = try req.content.decode(MitigationForm.self)
        do {
            try Policy.mayDecideMitigation(sheet, viewer)
            _ = try await Sheets.decideMitigation(
                of: req.parameters.get("entry", as: UUID.self), on: sheet,
                decision: form.decision, reason: form.reason, by: viewer, on: req.db)
            return redirect(req, period, sheet, done: "mitigation")
        } catch let problem as ValidationProblem {
            return try await rerender(
                req, period, sheet, viewer,
                state: .init(problem: "未记录：\(PageFormat.message(problem.rule))", unsaved: form.reason),
                status: .unprocessableEntity)
        } catch let abort as AbortError where [.conflict, .notFound].contains(abort.status) {
            // The review closed, or the entry was withdrawn, meanwhile.
            let why = abort.status == .notFound ? "该记录已被撤销" : PageFormat.message(abort.reason)
            return try await rerender(
                req, period, sheet, viewer, state: .init(problem: "未记录：\(why)", unsaved: form.reason),
                status: abort.status)
        }
    }

    // MARK: workflow

    struct ActionForm: Content {
        var version: String?
        var reason: String?
        /// 考核完毕: the panel's overall 考核意见.
        var opinion: String?
        /// Where to go back to: the sheet, the approval list it was approved from, or the period's dashboard.
        var back: String?
    }

    /// `submit`, `forward`, `return`, `review`, `approve` (and a group's or member's `publish`) with the version the
    /// person saw: a stale one is refused with the newer sheet shown, never merged.
    func act(req: Request) async throws -> Response {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        let name = req.parameters.get("action") ?? ""
        guard let action = WorkflowAction(rawValue: name), Policy.sheetActions(level: sheet.level).contains(action)
        else {
            throw Abort(.notFound, reason: "没有这个操作：\(name)")
        }
        try Policy.requireMayTake(action, on: sheet, viewer)
        let (form, refused) = try req.typedForm(ActionForm.self)
        let version = try Self.version(form.version)
        var state = SheetPage.FormState(reason: form.reason ?? "", closingOpinion: form.opinion)
        do {
            if let refused { throw refused }
            try await Sheets.act(
                action, on: sheet, period: period, version: version, reason: form.reason, opinion: form.opinion,
                by: viewer, today: BureauCalendar.today(), on: req.db)
            if form.back == "approval" {
                return req.redirect(to: .approval(.init(period.code)), query: ["approved": "1"])
            }
            if form.back == "period" {
                return req.redirect(
                    to: .period(.init(period.code)), query: ["done": action.rawValue, "unit": sheet.unitCode],
                    fragment: "sheet-\(sheet.unitCode)")
            }
            return redirect(req, period, sheet, done: action.rawValue)
        } catch let problem as ValidationProblem {
            if problem.field == "opinion" {
                state.closingOpinionError = PageFormat.message(problem.rule)
            } else {
                state.reasonError = PageFormat.message(problem.rule)
            }
            return try await rerender(req, period, sheet, viewer, state: state, status: .unprocessableEntity)
        } catch let conflict as any AbortError where conflict.status == .conflict {
            // A stale version, a state that no longer allows it, or what 考核完毕 leaves open (`SheetReview`).
            state.problem = "未能\(action.label)：\(PageFormat.message(conflict.reason))"
            return try await rerender(req, period, sheet, viewer, state: state, status: .conflict)
        }
    }

    // MARK: opinions

    struct OpinionForm: Content {
        var item: String?
        var text: String?
        var version: String?
    }

    func setOpinion(req: Request) async throws -> Response {
        let (period, sheet, viewer) = try await SheetLookup.visibleSheet(req)
        // Who may write is decided before the form is read; a review that closed meanwhile keeps the text.
        var closed: (any AbortError)?
        do { try Policy.mayWriteOpinion(sheet, viewer) } catch let abort as AbortError where abort.status == .conflict {
            closed = abort
        }
        let form = try req.content.decode(OpinionForm.self)
        let item = form.item ?? ""
        var state = SheetPage.FormState(opinionItem: item, opinionText: form.text ?? "")
        do {
            if let closed { throw closed }
            let version = try Self.version(form.version)
            try await Sheets.setOpinion(
                item: item, text: form.text ?? "", on: sheet, version: version,
                rubric: try await RubricStore.rubric(id: sheet.$rubric.id, on: req.db), by: viewer, on: req.db)
            return redirect(req, period, sheet, done: "opinion", anchor: "item-\(item)")
        } catch let problem as ValidationProblem {
            state.opinionError = PageFormat.message(problem.rule)
            if problem.field == "item" { state.problem = PageFormat.message(problem.rule) }
            return try await rerender(req, period, sheet, viewer, state: state, status: .unprocessableEntity)
        } catch let abort as AbortError where abort.status == .conflict {
            state.problem = "考核意见未保存：\(PageFormat.message(abort.reason))"
            state.opinionError = "考核表已被他人修改，请核对后重新保存"
            if (try? Policy.mayWriteOpinion(sheet, viewer)) == nil {
                state.unsaved = form.text  // the review has closed: its form is gone, the text is kept above
            }
            return try await rerender(req, period, sheet, viewer, state: state, status: .conflict)
        }
    }

    // MARK: helpers

    /// The sheet's version as the form carried it; a form without one is from no page of ours (400).
    static func version(_ field: String?) throws -> Int {
        guard let version = field.flatMap({ Int($0) }) else {
            throw Abort(.badRequest, reason: "表单缺少考核表版本号，请刷新页面后重试")
        }
        return version
    }

    /// The notice after a step, by the `done` the redirect names.
    static func notice(_ done: String) -> String? {
        switch done {
        case "entry": "已添加记录。"
        case "deleted": "已删除记录。"
        case "withdrawn": "已撤销记录，撤销理由已保留。"
        case "opinion": "已保存考核意见。"
        case "mitigation": "已记录考核小组对从轻、不予扣分的意见。"
        case "dismissed": "已忽略该建议，理由已保留，考核小组可见。"
        default: WorkflowAction(rawValue: done).map { "已\($0.label)。" + next(after: $0) }
        }
    }

    /// Who acts next after a step, as the notice tells it: the one whose 工作台 now lists the sheet.
    static func next(after action: WorkflowAction) -> String {
        switch action {
        case .submit: "组织委员将在工作台看到并转交考核小组。"
        case .forward: "考核小组将在工作台看到并开始考核。"
        case .return: "被考核单位将在工作台看到退回理由，修改后重新报送。"
        case .review: "总支书记将在工作台看到并审核确定。"
        case .approve: "待组织委员公布。"
        case .sendBack: "考核小组将在工作台看到退回理由，重新考核。"
        case .publish: "结果已备案，可在党团园地查看。"
        case .reopen: "考核小组将重新考核。"
        }
    }

    private func redirect(_ req: Request, _ period: Period, _ sheet: Sheet, done: String, anchor: String? = nil)
        -> Response
    {
        req.redirect(
            to: .sheet(.init(period.code), unit: .init(sheet.unitCode)), query: ["done": done], fragment: anchor)
    }

    /// The sheet as it is now, with the message and the input of the refused post.
    private func rerender(
        _ req: Request, _ period: Period, _ sheet: Sheet, _ viewer: Policy.Viewer,
        state: SheetPage.FormState, status: HTTPStatus
    ) async throws -> Response {
        // A refused save may come after someone else's: show the newer sheet, never the stale one.
        let current = try await Sheet.query(on: req.db).filter(\.$id == sheet.requireID()).first() ?? sheet
        let response = try await req.view.render(
            "sheet", SheetPage.query(period, current, viewer, on: req, state: state)
        ).encodeResponse(for: req)
        response.status = status
        return response
    }
}
