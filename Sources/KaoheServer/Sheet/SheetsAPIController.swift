import Fluent
import KaoheCore
import Vapor

/// Periods, sheets and entries as `contracts/api.md` fixes them.
struct SheetsAPIController: RouteCollection {

    func boot(routes: any RoutesBuilder) throws {
        routes.get("periods", use: periods)
        routes.post("periods", use: openPeriod)
        let period = routes.grouped("periods", ":period")
        period.delete(use: withdrawPeriod)
        period.patch(use: changeDeadlines)
        period.get("assessments", use: sheets)
        period.get("assessments", ":unit", use: sheet)
        period.post("assessments", ":unit", "entries", use: addEntry)
        period.delete("assessments", ":unit", "entries", ":entry", use: removeEntry)
        period.post("assessments", ":unit", "entries", ":entry", "mitigation", use: decideMitigation)
        period.post("assessments", ":unit", "actions", ":action", use: act)
        period.post("assessments", "actions", ":action", use: actOnMany)
        period.post("assessments", ":unit", "suggestions", "dismiss", use: dismissSuggestion)
    }

    struct Dismissal: Content {
        var rule: String?
        var reason: String?
    }

    /// `POST …/assessments/{unit}/suggestions/dismiss` `{"rule","reason"}`: the suggestion under `rule` set aside with a
    /// reason (kept, shown to the panel); answers with the sheet.
    func dismissSuggestion(req: Request) async throws -> Response {
        let (period, sheet, viewer) = try await visibleSheet(req)
        _ = try Policy.writableStage(sheet, viewer)
        let body = try req.content.decode(Dismissal.self)
        _ = try await Sheets.dismissSuggestion(
            rule: body.rule, reason: body.reason, on: sheet, of: period, by: viewer, on: req.db)
        return try await SheetDTO(SheetDocument.load(sheet, of: period, on: req.db)).encodeResponse(for: req)
    }

    // MARK: periods

    struct PeriodDTO: Content {
        let id: String
        let year: Int
        let quarter: Int
        let state: String
        let rubric: String
        let selfDeadline: String
        let panelDeadline: String
    }

    func periods(req: Request) async throws -> [PeriodDTO] {
        let page = try ListPage(req)
        return page.apply(
            try await Period.query(on: req.db).with(\.$branchRubric).sort(\.$year, .descending).sort(
                \.$quarter, .descending
            ).all()
        ).map(Self.dto)
    }

    struct OpenRequest: Content {
        let quarter: String
        /// The rubric branches are assessed by (`bureau-branch`); the most recently saved one when absent.
        let rubric: String?
        /// The branches' deadlines, `2026-10-10`; the rubric's schedule gives each one left out.
        let selfDeadline: String?
        let panelDeadline: String?
    }

    func openPeriod(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        try await Policy.requirePeriodOpener(user, on: req.db)
        let body = try req.content.decode(OpenRequest.self)
        guard let quarter = Quarter(code: body.quarter) else {
            throw ValidationProblem(field: "quarter", rule: "应为“年份Q季度”，如 2026Q4 (must look like 2026Q4)")
        }
        do {
            let deadlines = try SheetDeadlines.Chosen(
                selfDeadline: body.selfDeadline, panelDeadline: body.panelDeadline)
            let period = try await Sheets.open(
                quarter, branchRubricKey: body.rubric, deadlines: deadlines,
                actor: user.username, on: req.db)
            try await period.$branchRubric.load(on: req.db)
            return try await Self.dto(period).encodeResponse(status: .created, for: req)
        } catch let problem as Sheets.Problem {
            throw Abort(.conflict, reason: problem.description)
        }
    }

    /// `DELETE /api/v1/periods/{period}?reason=`: a quarter nobody has worked in, withdrawn (`PeriodChanges`).
    func withdrawPeriod(req: Request) async throws -> HTTPStatus {
        let user = try req.auth.require(User.self)
        try await Policy.requirePeriodOpener(user, on: req.db)
        let period = try await SheetLookup.period(req)
        try await PeriodChanges.withdraw(period, reason: req.query[String.self, at: "reason"], by: user, on: req.db)
        return .noContent
    }

    struct DeadlinesRequest: Content {
        let selfDeadline: String?
        let panelDeadline: String?
        let reason: String?
    }

    /// `PATCH /api/v1/periods/{period}` `{"selfDeadline?","panelDeadline?","reason"}`: the branches' deadlines moved.
    func changeDeadlines(req: Request) async throws -> PeriodDTO {
        let user = try req.auth.require(User.self)
        try await Policy.requirePeriodOpener(user, on: req.db)
        let period = try await SheetLookup.period(req)
        let body = try req.content.decode(DeadlinesRequest.self)
        try await PeriodChanges.changeDeadlines(
            of: period, selfDeadline: body.selfDeadline, panelDeadline: body.panelDeadline, reason: body.reason,
            by: user,
            on: req.db)
        try await period.$branchRubric.load(on: req.db)
        return Self.dto(period)
    }

    static func dto(_ period: Period) -> PeriodDTO {
        PeriodDTO(
            id: period.code, year: period.year, quarter: period.quarter, state: period.state.rawValue,
            rubric: "\(period.branchRubric.key)/\(period.branchRubric.number)",
            selfDeadline: period.selfDeadline, panelDeadline: period.panelDeadline)
    }

    // MARK: sheets

    struct SheetLine: Content {
        let unit: String
        let state: String
        let total: Decimal
        let grade: String
    }

    func sheets(req: Request) async throws -> [SheetLine] {
        let user = try req.auth.require(User.self)
        let page = try ListPage(req)
        let period = try await period(req)
        var query = Sheet.query(on: req.db).filter(\.$period.$id == (try period.requireID()))
        if let level = req.query[String.self, at: "level"] {
            // An unknown level is no level of any sheet: the list is empty, as it was when the column was text.
            guard let kind = Unit.Kind(rawValue: level) else { return [] }
            query = query.filter(\.$level == kind)
        }
        let sheets = try await query.sort(\.$unitCode).all()
        let entries = try await Sheet.scoredEntries(of: sheets.map { try $0.requireID() }, on: req.db)
        // The caller's roles, the tree and each rubric version are read once for the whole list.
        let grants = try await Access.roles(of: user, on: req.db)
        let parents = try await Access.parents(on: req.db)
        var rubrics: [UUID: Rubric] = [:]
        var lines: [SheetLine] = []
        for sheet in sheets {
            let viewer = Policy.Viewer(
                user: user, grants: grants, chain: sheet.chain(parents: parents))
            guard Policy.canSee(sheet, viewer) else { continue }
            let versionID = sheet.$rubric.id
            if rubrics[versionID] == nil {
                rubrics[versionID] = try await RubricStore.rubric(id: versionID, on: req.db)
            }
            let rubric = rubrics[versionID]!
            let score = try Sheets.score(sheet, scored: entries[sheet.requireID()] ?? [], rubric: rubric)
            lines.append(
                SheetLine(unit: sheet.unitCode, state: sheet.state.rawValue, total: score.total, grade: score.grade.key)
            )
        }
        return page.apply(lines)
    }

    func sheet(req: Request) async throws -> SheetDTO {
        let (period, sheet, parts) = try await SheetLookup.readableDocument(req)
        return try await SheetDTO(SheetDocument.load(sheet, of: period, parts: parts, on: req.db))
    }

    // MARK: entries

    struct NewEntry: Content {
        let rule: String
        let count: Int?
        let points: Decimal?
        let `case`: String?
        let note: String?
        let selfFound: Bool?
        let corrected: Bool?
        let mitigation: String?
        let evidence: [UUID]?
        /// 办法 五: `records`, `bureauLeader`, `committeeMember`, `panelInspection`, `workCommittee` or `other`.
        let source: String?
        /// 三(二): the day a larger self-found problem was reported to the 总支书记, `2026-09-20`.
        let reportedOn: String?
    }

    func addEntry(req: Request) async throws -> Response {
        let (_, sheet, viewer) = try await visibleSheet(req)
        _ = try Policy.writableStage(sheet, viewer)  // 403 before the body is read; Sheets.add checks it again
        let body = try req.content.decode(NewEntry.self)
        guard let mitigation = Mitigation(rawValue: body.mitigation ?? "none") else {
            throw ValidationProblem(field: "mitigation", rule: "应为 none、reduced 或 waived")
        }
        let entry = Entry(
            rule: body.rule, count: body.count, points: body.points, caseText: body.case, note: body.note,
            selfFound: body.selfFound ?? false, corrected: body.corrected ?? false, mitigation: mitigation)
        let details = try Sheets.EntryDetails(source: body.source, reportedOn: body.reportedOn)
        let row = try await Sheets.add(
            entry, details: details, to: sheet, by: viewer,
            rubric: try await RubricStore.rubric(id: sheet.$rubric.id, on: req.db), evidence: body.evidence ?? [],
            on: req.db)
        // A new entry's evidence is what this request attached: none named, none to read.
        let evidence =
            body.evidence?.isEmpty == false
            ? try await Evidence.query(on: req.db).filter(\.$entry.$id == row.requireID()).all() : []
        return try await EntryDTO(row, evidence: evidence).encodeResponse(status: .created, for: req)
    }

    struct MitigationRequest: Content {
        /// `confirmed` or `refused`.
        let decision: String
        let reason: String?
    }

    /// 办法 三(二): the panel confirms or refuses the unit's 从轻/不予扣分, with a reason.
    func decideMitigation(req: Request) async throws -> EntryDTO {
        let (_, sheet, viewer) = try await visibleSheet(req)
        try Policy.mayDecideMitigation(sheet, viewer)  // 403 before the body is read; the service checks it again
        let body = try req.content.decode(MitigationRequest.self)
        let row = try await Sheets.decideMitigation(
            of: req.parameters.get("entry", as: UUID.self), on: sheet,
            decision: body.decision, reason: body.reason, by: viewer, on: req.db)
        let evidence = try await Evidence.query(on: req.db).filter(\.$entry.$id == row.requireID()).all()
        return try EntryDTO(row, evidence: evidence)
    }

    /// In a draft an entry is simply removed; once the sheet has been submitted nothing is deleted: the panel's
    /// removal withdraws it, keeping who and why (`?reason=`).
    func removeEntry(req: Request) async throws -> HTTPStatus {
        let (_, sheet, viewer) = try await visibleSheet(req)
        try await Sheets.remove(
            req.parameters.get("entry", as: UUID.self), from: sheet, by: viewer,
            reason: req.query[String.self, at: "reason"], on: req.db)
        return .noContent
    }

    // MARK: workflow

    struct ActionRequest: Content {
        let version: Int
        let reason: String?
        /// `review`: the panel's overall 考核意见.
        let opinion: String?
    }

    /// `submit` (the unit), `forward` / `return` (organizer), `review` (panel leader), `approve` (approver); for a
    /// group's or member's sheet also `publish`, which reports the result to the general branch (备案).
    func act(req: Request) async throws -> SheetDTO {
        // The document's parts are read with the sheet, and the submission scores the entries among them: the move is
        // written only while the sheet is at the version read, and every change of an entry raises it, so these are
        // the entries in force when it moves. The answer is the sheet just saved with these parts, without looking
        // anything up again.
        let (period, sheet, viewer, parts) = try await SheetLookup.visibleDocument(req)
        let name = req.parameters.get("action") ?? ""
        guard let action = WorkflowAction(rawValue: name), Policy.sheetActions(level: sheet.level).contains(action)
        else {
            let names = Policy.sheetActions(level: sheet.level).map(\.rawValue).joined(separator: "、")
            throw Abort(.notFound, reason: "没有这个操作：\(name)（\(names)）")
        }
        try Policy.requireMayTake(action, on: sheet, viewer)  // before the body is read
        let body = try req.content.decode(ActionRequest.self)
        try await Sheets.act(
            action, on: sheet, period: period, version: body.version, reason: body.reason, opinion: body.opinion,
            by: viewer, today: BureauCalendar.today(), entries: parts.entries, on: req.db)
        return try await SheetDTO(SheetDocument.load(sheet, of: period, parts: parts, on: req.db))
    }

    /// `POST …/assessments/actions/{action}` `{"sheets":[{"unit","version"}],"reason"?,"opinion"?}`: the step on each
    /// sheet listed, one result a sheet (`BulkActions`).
    func actOnMany(req: Request) async throws -> [BulkActions.Outcome] {
        let user = try req.auth.require(User.self)
        let period = try await self.period(req)
        let body = try req.content.decode(BulkActions.Body.self)
        return try await BulkActions.act(
            req.parameters.get("action") ?? "", on: body.sheets, period: period, reason: body.reason,
            opinion: body.opinion, by: user, on: req.db)
    }

    // MARK: helpers

    private func period(_ req: Request) async throws -> Period { try await SheetLookup.period(req) }

    private func visibleSheet(_ req: Request) async throws -> (Period, Sheet, Policy.Viewer) {
        try await SheetLookup.visibleSheet(req)
    }
}
