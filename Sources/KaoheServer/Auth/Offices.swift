import Fluent
import KaoheCore

/// Who held an office when: a role held by one person at a time (`Role.heldByOne`) over a quarter, for the 扣奖 that
/// names them and the base that carries with them.
enum Offices {
    /// Each unit's holder of `role` in `quarter`: the one in office for most of its days (the later on a tie).
    static func holders(
        of role: Role, on units: [String], in quarter: Quarter, on db: any Database
    ) async throws -> [String: User] {
        guard !units.isEmpty else { return [:] }
        let grants = try await RoleGrant.query(on: db).filter(\.$role == role).filter(\.$unitCode ~~ units)
            .with(\.$user).all()
        func days(_ grant: RoleGrant) -> Int { quarter.days(from: grant.from, to: grant.to) }
        return Dictionary(grouping: grants.filter { days($0) > 0 }, by: \.unitCode).compactMapValues { held in
            held.max { (days($0), $0.from ?? "") < (days($1), $1.from ?? "") }?.user
        }
    }
}
