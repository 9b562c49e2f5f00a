import Fluent
import KaoheCore
import Vapor

/// One workflow step on many sheets of a quarter at once (`POST …/assessments/actions/{action}`): the branch
/// secretary's group sheets, the group leader's member sheets. Each sheet is taken as if alone — its version checked,
/// its reader's right asked — and answers for itself: a stale or forbidden one is refused by name, the rest done.
///
/// `file` (备案) is the whole way of a reported group's or member's sheet to filed: 转交, 考核完毕 (with the
/// `opinion` given), 审核确定 and 公布, each taken that the sheet still needs.
enum BulkActions {
    struct Body: Content {
        struct Line: Content {
            let unit: String
            let version: Int
        }
        let sheets: [Line]
        let reason: String?
        let opinion: String?
    }

    struct Outcome: Content, Equatable {
        let unit: String
        /// The HTTP status the sheet's own request would have had: 200 done, 404, 403, 409 stale or out of turn, 422.
        let status: Int
        /// The state the sheet is in now (null when there is no such sheet for the caller).
        let state: String?
        /// Why it was refused; null when done.
        let reason: String?
    }

    /// A page of a branch's groups or a big group's members, with room: more is another request.
    static let limit = 500

    /// The steps `file` takes from each state.
    static let filing: [SheetState: WorkflowAction] = [
        .submitted: .forward, .underReview: .review, .reviewed: .approve, .approved: .publish,
    ]

    static func act(
        _ name: String, on lines: [Body.Line], period: Period, reason: String?, opinion: String?, by user: User,
        on db: any Database
    ) async throws -> [Outcome] {
        let filing = name == "file"
        guard filing || WorkflowAction(rawValue: name) != nil else {
            throw Abort(.notFound, reason: "没有这个操作：\(name) (no such action)")
        }
        guard !lines.isEmpty else {
            throw ValidationProblem(field: "sheets", rule: "请至少选择一份考核表 (at least one sheet)")
        }
        guard lines.count <= limit else {
            throw ValidationProblem(field: "sheets", rule: "一次最多 \(limit) 份 (at most \(limit) sheets)")
        }
        // 备案 passes through 考核完毕, whose overall opinion is asked before any sheet moves.
        if filing { _ = try SheetReview.opinion(opinion) }
        var seen: Set<String> = []
        for (index, line) in lines.enumerated() where !seen.insert(line.unit).inserted {
            throw ValidationProblem(field: "sheets[\(index)].unit", rule: "\(line.unit) 出现了两次 (listed twice)")
        }
        let grants = try await Access.roles(of: user, on: db)
        let today = BureauCalendar.today()
        var outcomes: [Outcome] = []
        for line in lines {
            outcomes.append(
                try await act(
                    name, filing: filing, on: line, period: period, reason: reason, opinion: opinion, user: user,
                    grants: grants, today: today, on: db))
        }
        return outcomes
    }

    private static func act(
        _ name: String, filing: Bool, on line: Body.Line, period: Period, reason: String?, opinion: String?,
        user: User, grants: [RoleGrant], today: CalendarDay, on db: any Database
    ) async throws -> Outcome {
        guard
            let sheet = try await Sheet.query(on: db).filter(\.$period.$id == period.requireID())
                .filter(\.$unitCode == line.unit).first()
        else {
            return Outcome(
                unit: line.unit, status: 404, state: nil, reason: "\(line.unit) 在 \(period.code) 没有考核表 (no such sheet)")
        }
        let viewer = Policy.Viewer(
            user: user, grants: grants, chain: try await Access.unitAndAncestors(sheet.unitCode, on: db))
        guard Policy.canSee(sheet, viewer) else {
            return Outcome(
                unit: line.unit, status: 404, state: nil, reason: "\(line.unit) 在 \(period.code) 没有考核表 (no such sheet)")
        }
        var steps: [WorkflowAction]
        if filing {
            guard sheet.level != .branch else {
                return refused(sheet, 409, "党支部的考核表由组织委员统一公布，不能备案 (branches are published, not filed)")
            }
            guard sheet.state != .draft else {
                return refused(sheet, 409, "尚未报送，不能备案 (not reported yet)")
            }
            steps = []
            var state = sheet.state
            while let step = Self.filing[state], let next = try? Workflow.apply(step, to: state, reason: reason) {
                steps.append(step)
                state = next
            }
            guard !steps.isEmpty else { return refused(sheet, 409, "已备案 (already filed)") }
        } else {
            let action = WorkflowAction(rawValue: name)!
            guard Policy.sheetActions(level: sheet.level).contains(action) else {
                return refused(sheet, 404, "\(sheet.level.label)考核表没有“\(action.label)”这一步 (no such step)")
            }
            steps = [action]
        }
        guard line.version == sheet.version else {
            return refused(
                sheet, 409, "考核表已被他人修改（当前版本 \(sheet.version)，您的版本 \(line.version)），请刷新后再操作 (stale version)")
        }
        for step in steps {
            do {
                try await Sheets.act(
                    step, on: sheet, period: period, version: sheet.version, reason: reason, opinion: opinion,
                    by: viewer, today: today, on: db)
            } catch let refusal as any AbortError {
                return refused(sheet, Int(refusal.status.code), refusal.reason)
            }
        }
        return Outcome(unit: sheet.unitCode, status: 200, state: sheet.state.rawValue, reason: nil)
    }

    private static func refused(_ sheet: Sheet, _ status: Int, _ reason: String) -> Outcome {
        Outcome(unit: sheet.unitCode, status: status, state: sheet.state.rawValue, reason: reason)
    }
}
