import Fluent
import KaoheCore
import Vapor

/// Periods, sheets and entries as `contracts/api.md` fixes them.
struct AssessmentsAPIController: RouteCollection {
    static let periodOpeners: Set<Role> = [.organizer]

    func boot(routes: any RoutesBuilder) throws {
        routes.get("periods", use: periods)
        routes.post("periods", use: openPeriod)
        let period = routes.grouped("periods", ":period")
        period.get("assessments", use: sheets)
        period.get("assessments", ":unit", use: sheet)
        period.post("assessments", ":unit", "entries", use: addEntry)
        period.delete("assessments", ":unit", "entries", ":entry", use: removeEntry)
        period.post("assessments", ":unit", "actions", ":action", use: act)
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
        try await Period.query(on: req.db).with(\.$branchRubric).sort(\.$year, .descending).sort(\.$quarter, .descending).all().map(dto)
    }

    struct OpenRequest: Content {
        let quarter: String
        /// The rubric branches are assessed by (`bureau-branch`); the most recently saved one when absent.
        let rubric: String?
    }

    func openPeriod(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let roles = try await Access.roles(of: user, on: req.db)
        guard roles.contains(where: { Self.periodOpeners.contains($0.role) && $0.unitCode == OrgTree.rootCode }) else {
            throw Abort(.forbidden, reason: "只有组织委员可以建立考核期 (only the organizer opens periods)")
        }
        let body = try req.content.decode(OpenRequest.self)
        guard let quarter = Quarter(code: body.quarter) else {
            throw ValidationProblem(field: "quarter", rule: "应为“年份Q季度”，如 2026Q4 (must look like 2026Q4)")
        }
        do {
            let period = try await Sheets.open(quarter, branchRubricKey: body.rubric, actor: user.username, on: req.db)
            try await period.$branchRubric.load(on: req.db)
            return try await dto(period).encodeResponse(status: .created, for: req)
        } catch let problem as Sheets.Problem {
            throw Abort(.conflict, reason: problem.description)
        }
    }

    private func dto(_ period: Period) -> PeriodDTO {
        PeriodDTO(id: period.code, year: period.year, quarter: period.quarter, state: period.state.rawValue,
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
        let period = try await period(req)
        var query = Assessment.query(on: req.db).filter(\.$period.$id == (try period.requireID()))
        if let level = req.query[String.self, at: "level"] { query = query.filter(\.$level == level) }
        let sheets = try await query.with(\.$rubric).with(\.$entries).sort(\.$unitCode).all()
        // The caller's roles, the tree and each rubric version are read once for the whole list.
        let grants = try await Access.roles(of: user, on: req.db)
        let parents = try await Access.parents(on: req.db)
        var rubrics: [UUID: Rubric] = [:]
        var lines: [SheetLine] = []
        for sheet in sheets {
            let viewer = SheetRules.Viewer(user: user, grants: grants, chain: Access.unitAndAncestors(sheet.unitCode, parents: parents))
            guard SheetRules.canSee(sheet, viewer) else { continue }
            let versionID = try sheet.rubric.requireID()
            let rubric = try rubrics[versionID] ?? RubricStore.rubric(of: sheet.rubric)
            rubrics[versionID] = rubric
            let score = try Sheets.score(sheet, entries: sheet.entries, rubric: rubric)
            lines.append(SheetLine(unit: sheet.unitCode, state: sheet.state, total: score.total, grade: score.grade.key))
        }
        return lines
    }

    struct EntryDTO: Content {
        let id: UUID
        let rule: String
        let count: Int?
        let points: Decimal?
        let `case`: String?
        let note: String?
        let selfFound: Bool
        let corrected: Bool
        let mitigation: String
        let stage: String
        let createdBy: String
        let withdrawn: Bool
        let withdrawnReason: String?
    }

    struct SheetDTO: Content {
        let period: String
        let unit: String
        let level: String
        let rubric: String
        let state: String
        let version: Int
        let late: Bool
        let entries: [EntryDTO]
        let opinions: [String: String]
        let selfScore: UnitReport?
        let score: UnitReport
    }

    func sheet(req: Request) async throws -> SheetDTO {
        let (period, sheet, _) = try await visibleSheet(req)
        let entries = try await sheet.$entries.query(on: req.db).sort(\.$createdAt).all()
        let rubric = try RubricStore.rubric(of: sheet.rubric)
        return SheetDTO(
            period: period.code, unit: sheet.unitCode, level: sheet.level, rubric: "\(sheet.rubric.key)/\(sheet.rubric.number)",
            state: sheet.state, version: sheet.version, late: sheet.late, entries: try entries.map(dto), opinions: [:],
            selfScore: sheet.selfScore.flatMap { try? JSONDecoder().decode(UnitReport.self, from: Data($0.utf8)) },
            score: UnitReport(try Sheets.score(sheet, entries: entries, rubric: rubric)))
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
    }

    func addEntry(req: Request) async throws -> Response {
        let (_, sheet, viewer) = try await visibleSheet(req)
        let stage = try SheetRules.writableStage(sheet, viewer)
        let body = try req.content.decode(NewEntry.self)
        guard let mitigation = Mitigation(rawValue: body.mitigation ?? "none") else {
            throw ValidationProblem(field: "mitigation", rule: "应为 none、reduced 或 waived")
        }
        let entry = Entry(rule: body.rule, count: body.count, points: body.points, caseText: body.case, note: body.note,
                          selfFound: body.selfFound ?? false, corrected: body.corrected ?? false, mitigation: mitigation)
        let row = try await Sheets.add(entry, to: sheet, stage: stage, actor: viewer.user.username,
                                       rubric: try RubricStore.rubric(of: sheet.rubric), on: req.db)
        return try await dto(row).encodeResponse(status: .created, for: req)
    }

    /// In a draft an entry is simply removed; once the sheet has been submitted nothing is deleted: the panel's
    /// removal withdraws it, keeping who and why (`?reason=`).
    func removeEntry(req: Request) async throws -> HTTPStatus {
        let (_, sheet, viewer) = try await visibleSheet(req)
        let stage = try SheetRules.writableStage(sheet, viewer)
        guard let id = req.parameters.get("entry", as: UUID.self),
              let row = try await sheet.$entries.query(on: req.db).filter(\.$id == id).first(), !row.withdrawn
        else { throw Abort(.notFound, reason: "没有这条记录") }
        try await req.db.transaction { db in
            let before = Sheets.EntryRecord(row)
            if stage == .selfAssessment {
                try await row.delete(on: db)
                try await AuditLog.append(on: db, actor: viewer.user.username, action: "entry.delete",
                                          subject: "sheet:\(sheet.unitCode)", before: before)
            } else {
                row.withdrawn = true
                row.withdrawnBy = viewer.user.username
                row.withdrawnReason = req.query[String.self, at: "reason"]
                try await row.save(on: db)
                try await AuditLog.append(on: db, actor: viewer.user.username, action: "entry.withdraw",
                                          subject: "sheet:\(sheet.unitCode)", before: before, after: Sheets.EntryRecord(row))
            }
            sheet.version += 1
            try await sheet.save(on: db)
        }
        return .noContent
    }

    // MARK: workflow

    struct ActionRequest: Content {
        let version: Int
        let reason: String?
    }

    /// `submit` (the unit), `forward` / `return` (organizer), `review` (panel leader), `approve` (approver).
    func act(req: Request) async throws -> SheetDTO {
        let (period, sheet, viewer) = try await visibleSheet(req)
        let name = req.parameters.get("action") ?? ""
        guard let action = WorkflowAction(rawValue: name), [.submit, .forward, .return, .review, .approve].contains(action) else {
            throw Abort(.notFound, reason: "没有这个操作：\(name)（submit、forward、return、review、approve）")
        }
        guard SheetRules.mayTake(action, on: sheet, viewer) else {
            throw Abort(.forbidden, reason: "您的角色不能对该考核表“\(action.label)” (your role may not \(action.rawValue) this sheet)")
        }
        let body = try req.content.decode(ActionRequest.self)
        try await Sheets.act(action, on: sheet, period: period, version: body.version, reason: body.reason,
                             actor: viewer.user.username, today: Self.today(), on: req.db)
        return try await self.sheet(req: req)
    }

    /// Today in the bureau's calendar (China Standard Time).
    static func today() -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return CalendarDay(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1)!
    }

    // MARK: helpers

    private func period(_ req: Request) async throws -> Period {
        let code = req.parameters.get("period") ?? ""
        guard let period = try await Period.query(on: req.db).filter(\.$code == code.uppercased()).first() else {
            throw Abort(.notFound, reason: "没有考核期 \(code)")
        }
        return period
    }

    /// The sheet, if the caller may see it; another unit's draft is 404, never shown.
    private func visibleSheet(_ req: Request) async throws -> (Period, Assessment, SheetRules.Viewer) {
        let user = try req.auth.require(User.self)
        let period = try await period(req)
        let unit = req.parameters.get("unit") ?? ""
        guard let sheet = try await Assessment.query(on: req.db).filter(\.$period.$id == period.requireID())
            .filter(\.$unitCode == unit).with(\.$rubric).first()
        else { throw Abort(.notFound, reason: "\(period.code) 没有 \(unit) 的考核表") }
        let viewer = try await SheetRules.viewer(user, sheetUnit: unit, on: req.db)
        guard SheetRules.canSee(sheet, viewer) else {
            throw Abort(.notFound, reason: "\(period.code) 没有 \(unit) 的考核表")
        }
        return (period, sheet, viewer)
    }

    private func dto(_ row: AssessmentEntry) throws -> EntryDTO {
        EntryDTO(id: try row.requireID(), rule: row.rule, count: row.count, points: row.points.flatMap { Decimal(string: $0) },
                 case: row.caseText, note: row.note, selfFound: row.selfFound, corrected: row.corrected,
                 mitigation: row.mitigation, stage: row.stage.rawValue, createdBy: row.createdBy,
                 withdrawn: row.withdrawn, withdrawnReason: row.withdrawnReason)
    }
}
