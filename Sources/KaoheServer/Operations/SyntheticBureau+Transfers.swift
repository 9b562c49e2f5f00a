import Foundation
import KaoheCore

extension SyntheticBureau {
    /// A year of the organisation changing, so that the benchmarks read rosters that differ from month to month: in
    /// each group of a branch with more than one, its first member moves to the branch's next group on the first of
    /// a month (spread over the year by the group's number); in every tenth group its last member is transferred out
    /// on 1 December. The units are changed where they end up; the stretches say where they were.
    func transfers(_ units: [Unit]) -> [Membership] {
        guard shape.groupsPerBranch > 1 else { return [] }
        let byCode = Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0) })
        var stretches: [Membership] = []
        var groupNumber = 0
        for branch in 1...shape.branches {
            for g in 1...shape.groupsPerBranch {
                groupNumber += 1
                let group = "branch-\(branch)-group-\(g)"
                let next = "branch-\(branch)-group-\(g % shape.groupsPerBranch + 1)"
                if let mover = byCode["\(group)-member-1"] {
                    let month = String(format: "%02d", groupNumber % 11 + 1)
                    let day = "\(Self.year)-\(month)-01"
                    stretches.append(
                        ended(
                            Membership(member: mover.code, group: group, from: nil, beganBy: .founding), by: .move,
                            before: day))
                    stretches.append(Membership(member: mover.code, group: next, from: day, beganBy: .move))
                    mover.parentCode = next
                }
                let last = shape.membersPerGroup
                if groupNumber % 10 == 0, last > 1, let leaver = byCode["\(group)-member-\(last)"] {
                    let day = "\(Self.year)-12-01"
                    let stretch = ended(
                        Membership(member: leaver.code, group: group, from: nil, beganBy: .founding), by: .transferOut,
                        before: day)
                    stretch.endedNote = "市直机关其他单位"
                    stretches.append(stretch)
                    leaver.leftOn = day
                }
            }
        }
        return stretches
    }

    private func ended(_ stretch: Membership, by action: Membership.Action, before day: String) -> Membership {
        stretch.id = UUID()
        stretch.to = CalendarDay(day)!.adding(days: -1).description
        stretch.endedBy = action
        return stretch
    }

    /// Who sat in each group on `day`: the stretches recorded, else the group a member is under.
    static func rosters(_ units: [Unit], stretches: [Membership]) -> (String) -> [String: [String]] {
        let moving = Dictionary(grouping: stretches, by: \.memberCode)
        let members = units.filter { $0.kind == .member }
        return { day in
            var roster: [String: [String]] = [:]
            for member in members {
                if let own = moving[member.code] {
                    for stretch in own where (stretch.from ?? "") <= day && (stretch.to ?? "9999-12-31") >= day {
                        roster[stretch.groupCode, default: []].append(member.code)
                    }
                } else if let group = member.parentCode {
                    roster[group, default: []].append(member.code)
                }
            }
            return roster
        }
    }
}
