import Fluent
import KaoheCore

/// Where units stood in a quarter: a member in the group they sat in for most of its days, a group under the branch
/// it belonged to at its end. A sheet keeps this (`Sheet.above`) so that it is read and assessed where it was.
enum PlacesThen {
    /// Each unit's units above it in `quarter`, nearest first, up to the general branch.
    static func above(_ units: [Unit], in quarter: Quarter, on db: any Database) async throws -> [String: [String]] {
        let last = quarter.lastDay.description
        let moves = Dictionary(
            grouping: try await UnitChange.query(on: db).filter(\.$action == .move).all(), by: \.unitCode)
        let parents = Dictionary(
            try await Unit.query(on: db).filter(\.$kind ~~ [.branch, .group]).all().map { ($0.code, $0.parentCode) },
            uniquingKeysWith: { a, _ in a })
        let members = units.filter { $0.kind == .member }.map(\.code)
        var stretches: [String: [Membership]] = [:]
        for batch in members.chunked(into: 5_000) {
            for stretch in try await Membership.query(on: db).filter(\.$memberCode ~~ Array(batch)).all() {
                stretches[stretch.memberCode, default: []].append(stretch)
            }
        }
        /// A group's branch on the quarter's last day: before its first move after that day, the branch it left.
        func branch(of group: String) -> String? {
            let later = (moves[group] ?? []).filter { $0.day > last }.min { $0.day < $1.day }
            return later.map { $0.parentBefore } ?? parents[group] ?? nil
        }
        /// The group a member sat in for most of the quarter (the later on a tie); their group when none is recorded.
        func group(of member: Unit) -> String? {
            let held = (stretches[member.code] ?? []).map { stretch in
                (stretch.groupCode, quarter.days(from: stretch.from, to: stretch.to), stretch.from ?? "")
            }
            return held.filter { $0.1 > 0 }.max { ($0.1, $0.2) < ($1.1, $1.2) }?.0 ?? member.parentCode
        }
        var above: [String: [String]] = [:]
        for unit in units {
            switch unit.kind {
            case .general: continue
            case .branch: above[unit.code] = [OrgTree.rootCode]
            case .group: above[unit.code] = [branch(of: unit.code), OrgTree.rootCode].compactMap { $0 }
            case .member:
                let group = group(of: unit)
                above[unit.code] = [group, group.flatMap(branch(of:)), OrgTree.rootCode].compactMap { $0 }
            }
        }
        return above
    }
}
