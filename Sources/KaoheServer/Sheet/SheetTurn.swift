import KaoheCore

/// Whose turn a sheet is, in the words of 办法 四: the step the workflow waits for, the moves the viewer may
/// make now, and how near its deadline is. Every answer comes from `Policy` and `Workflow`, the same rules
/// the server enforces; the pages only say them.
enum SheetTurn {
    /// Who acts next on a sheet of `level` in `state`: 支部书记自查报送, 组织委员转交或退回, 考核小组考核, …
    static func next(_ state: SheetState, level: Unit.Kind) -> String {
        switch state {
        case .draft: "\(who(.submit, level))自查报送"
        case .submitted: "\(who(.forward, level))转交或退回"
        case .underReview: "\(name(Policy.panelRoles(level: level)))考核"
        case .reviewed: "\(who(.approve, level))审核确定"
        case .approved: level == .branch ? "待\(who(.publish, level))公布" : "待\(who(.publish, level))公布（报总支备案）"
        case .published: "已公布"
        }
    }

    /// The workflow moves the viewer may make on the sheet now: possible from its state, taken one sheet at a time
    /// at its level, and allowed to the viewer's roles (the API's checks, in the order a person meets them). A
    /// draft is forwarded only once its self-report deadline has passed (`selfReportPassed`).
    static func actions(on sheet: some SheetFacts, _ viewer: Policy.Viewer, selfReportPassed: Bool = false)
        -> [WorkflowAction]
    {
        let state = sheet.state
        let taken = Policy.sheetActions(level: sheet.level)
        return Workflow.actions(from: state).filter {
            $0 != .reopen && taken.contains($0) && Policy.mayTake($0, on: sheet, viewer)
                && !($0 == .forward && state == .draft && !selfReportPassed)
        }
    }

    /// What the viewer must do on the sheet now (自查打分并报送, 考核打分、考核完毕, 审核确定, …), or nil when
    /// nothing waits for them.
    static func todo(on sheet: some SheetFacts, _ viewer: Policy.Viewer) -> String? {
        let stage = Policy.openStage(sheet, viewer)
        let moves = actions(on: sheet, viewer)
        if stage == .selfAssessment { return "自查打分并\(WorkflowAction.submit.label)" }
        // A return alone is a way out, not work waiting: the organizer may still return a sheet the panel is
        // reviewing, but it is the panel's turn, not theirs.
        guard stage == .panel || moves.contains(where: { $0 != .return && $0 != .sendBack }) else { return nil }
        let labels = (stage == .panel ? ["考核打分"] : []) + moves.map(\.label)
        return labels.joined(separator: "、")
    }

    /// The role that takes `action` on a sheet of `level`, by name.
    static func who(_ action: WorkflowAction, _ level: Unit.Kind) -> String {
        name(Policy.actors(of: action, level: level).roles)
    }

    /// 考核小组 for the panel's roles, else the first role's name in the order of `Role`.
    static func name(_ roles: Set<Role>) -> String {
        if roles.contains(.panelMember) { return "考核小组" }
        return Role.allCases.first(where: roles.contains)?.label ?? ""
    }
}
