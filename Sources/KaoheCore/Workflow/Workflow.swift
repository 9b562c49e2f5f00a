/// The life of one assessment sheet (考核表), as DESIGN.md and 办法 四 describe it:
/// `draft` → `submitted` → `underReview` → `reviewed` → `approved` → `published`, with `return` back to
/// `draft` (a reason required) from `submitted` or `underReview`, `sendBack` from `reviewed` to the panel again
/// (a reason required), `forward` of a draft never reported once its deadline has passed, and an upheld
/// objection (申诉) reopening the review of a published sheet. Who may act is the server's business; which moves exist is this one's.
public enum SheetState: String, Sendable, CaseIterable, Codable {
    case draft, submitted, underReview, reviewed, approved, published

    public var label: String {
        switch self {
        case .draft: "自查中"
        case .submitted: "已报送"
        case .underReview: "考核小组考核中"
        case .reviewed: "考核完毕，待审核"
        case .approved: "已审核确定"
        case .published: "已公布"
        }
    }
}

public enum WorkflowAction: String, Sendable, CaseIterable, Codable {
    /// 支部书记 reports the self-assessment (自查打分) to the organizer.
    case submit
    /// 组织委员 hands the compiled material to the panel — or, after the self-report deadline, a sheet never
    /// reported (未开展自查), so that one silent unit does not hold up the others.
    case forward
    /// 组织委员 sends it back to the unit, with a reason.
    case `return`
    /// 考核小组组长 closes the panel's review.
    case review
    /// 总支书记 / 总支委员会 fixes the result (审核确定).
    case approve
    /// 总支书记 sends a reviewed sheet back to the panel, with a reason (审核 四(三) does not only approve).
    case sendBack
    /// 组织委员 publishes the period (公布).
    case publish
    /// An objection upheld: the review of the published sheet is opened again.
    case reopen

    public var label: String {
        switch self {
        case .submit: "报送"
        case .forward: "转交考核小组"
        case .return: "退回"
        case .review: "考核完毕"
        case .approve: "审核确定"
        case .sendBack: "退回考核小组"
        case .publish: "公布"
        case .reopen: "重新考核"
        }
    }
}

public struct WorkflowProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var action: WorkflowAction
    public var state: SheetState
    public var message: String

    public var description: String { message }
}

public enum Workflow {
    /// The state each action moves from, and to.
    static let moves: [WorkflowAction: (from: Set<SheetState>, to: SheetState)] = [
        .submit: ([.draft], .submitted),
        .forward: ([.submitted, .draft], .underReview),
        .return: ([.submitted, .underReview], .draft),
        .review: ([.underReview], .reviewed),
        .approve: ([.reviewed], .approved),
        .sendBack: ([.reviewed], .underReview),
        .publish: ([.approved], .published),
        .reopen: ([.published], .underReview),
    ]

    /// The actions possible from a state, in the order a person would meet them.
    public static func actions(from state: SheetState) -> [WorkflowAction] {
        WorkflowAction.allCases.filter { moves[$0]?.from.contains(state) == true }
    }

    /// The actions that need a written reason.
    public static let needsReason: Set<WorkflowAction> = [.return, .reopen, .sendBack]

    /// The state after `action`, or why it cannot be taken. A return, a send-back and a reopening need a reason.
    /// Whether a draft may be forwarded yet (its deadline passed) is the server's to say.
    public static func apply(_ action: WorkflowAction, to state: SheetState, reason: String? = nil)
        throws(WorkflowProblem) -> SheetState
    {
        guard let move = moves[action], move.from.contains(state) else {
            throw WorkflowProblem(
                action: action, state: state,
                message:
                    "“\(state.label)”状态下不能\(action.label) (cannot \(action.rawValue) a sheet that is \(state.rawValue))"
            )
        }
        if needsReason.contains(action),
            (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        {
            throw WorkflowProblem(action: action, state: state, message: "\(action.label)须写明理由 (reason required)")
        }
        return move.to
    }
}
