/// The roles of DESIGN.md, each held on one unit.
enum Role: String, Codable, CaseIterable, Sendable {
    case admin
    case organizer  // 组织委员
    case panelMember  // 考核小组成员
    case panelLeader  // 考核小组组长
    case approver  // 总支书记 / 总支委员会
    case deputySecretary  // 副书记
    case branchSecretary  // 支部书记
    case committeeMember  // 支委
    case groupLeader  // 党小组长
    case member  // 党员

    /// An office one person holds at a time on its unit: a successor takes it over from a day, the predecessor's
    /// record kept. The bureau's other roles (考核小组成员, 支委, 管理员 …) may be held by several at once.
    var heldByOne: Bool {
        switch self {
        case .approver, .deputySecretary, .panelLeader, .branchSecretary, .groupLeader: true
        default: false
        }
    }

    var label: String {
        switch self {
        case .admin: "系统管理员"
        case .organizer: "组织委员"
        case .panelMember: "考核小组成员"
        case .panelLeader: "考核小组组长"
        case .approver: "总支书记"
        case .deputySecretary: "总支副书记"
        case .branchSecretary: "支部书记"
        case .committeeMember: "支部委员"
        case .groupLeader: "党小组长"
        case .member: "党员"
        }
    }

    /// The kinds of unit this role can be held on: bureau roles on the general branch, a secretary on a
    /// branch, a group leader on a group.
    var unitKinds: Set<Unit.Kind> {
        switch self {
        case .admin, .organizer, .panelMember, .panelLeader, .approver, .deputySecretary: [.general]
        case .branchSecretary, .committeeMember: [.branch]
        case .groupLeader: [.group]
        case .member: [.group, .member]
        }
    }
}
