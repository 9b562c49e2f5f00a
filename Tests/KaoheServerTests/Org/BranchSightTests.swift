import Foundation
import KaoheCore
import Testing

@testable import KaoheServer

/// The dashboard asks the database for the branch sheets a viewer sees (`Policy.branchSight`); the rule itself is
/// `Policy.canSee`. For every role held here or there and every state, the two agree.
@Suite struct BranchSightTests {
    static func sees(_ sight: Policy.BranchSight, unit: String, state: SheetState) -> Bool {
        switch sight {
        case .every: true
        case .publishedAnd(let held): state == .published || held.contains(unit)
        }
    }

    @Test func theDatabasesFilterIsTheRuleOfCanSee() {
        let user = User(id: UUID(), username: "someone", displayName: "某人", passwordHash: "-")
        let places = [OrgTree.rootCode, "branch-1", "branch-2", "branch-1-group-1", "branch-1-group-1-member-1"]
        var holdings: [[(Role, String)]] = [[]]
        for role in Role.allCases { for place in places { holdings.append([(role, place)]) } }
        holdings.append([(.member, "branch-1-group-1-member-1"), (.branchSecretary, "branch-2")])
        holdings.append([(.groupLeader, "branch-1-group-1"), (.organizer, OrgTree.rootCode)])
        for held in holdings {
            let grants = held.map { RoleGrant(userID: user.id!, role: $0.0, unitCode: $0.1) }
            let sight = Policy.branchSight(grants)
            for unit in ["branch-1", "branch-2", "branch-3"] {
                for state in SheetState.allCases {
                    let rule = Policy.canSee(
                        unit: unit, level: .branch, state: state,
                        Policy.Viewer(user: user, grants: grants, chain: [unit, OrgTree.rootCode]))
                    #expect(Self.sees(sight, unit: unit, state: state) == rule, "\(held) on \(unit) \(state)")
                }
            }
        }
    }
}
