import Fluent
import Vapor

/// Proof that `Policy` let someone change a unit's records. The services that write a unit's ledger (activities,
/// plans and summaries, completion marks) and its dues take one, and only this file makes them, so no route, page
/// or import can reach such a write without the question having been asked.
struct Permit<Right>: Sendable {
    /// Who acts, as the record and the audit log name them.
    let actor: String
    /// The unit whose records may be changed.
    let unit: Unit

    fileprivate init(actor: String, unit: Unit) {
        self.actor = actor
        self.unit = unit
    }
}

/// What a `Permit` allows.
enum Rights {
    /// A unit's activities, plans and summaries, attachments and completion marks: its secretary, a group's leader.
    enum RecordLedger {}
    /// A branch's dues (党费): its secretary.
    enum KeepDues {}
}

extension Policy {
    /// Who records a unit's activities (api.md): its secretary, or for a group its leader.
    static func mayRecordLedger(of unit: Unit, _ grants: [RoleGrant]) -> Bool {
        let role: Role? =
            switch unit.kind {
            case .branch: .branchSecretary
            case .group: .groupLeader
            default: nil
            }
        return role.map { role in grants.contains { $0.role == role && $0.unitCode == unit.code } } ?? false
    }

    /// Who keeps a branch's dues: its secretary.
    static func mayKeepDues(of unit: Unit, _ grants: [RoleGrant]) -> Bool {
        unit.kind == .branch && grants.contains { $0.role == .branchSecretary && $0.unitCode == unit.code }
    }

    /// The permit to record the unit's ledger; 403 for anyone but its secretary (a group's leader).
    static func ledgerRecorder(_ user: User, of unit: Unit, on db: any Database) async throws -> Permit<
        Rights.RecordLedger
    > {
        guard mayRecordLedger(of: unit, try await Access.roles(of: user, on: db)) else {
            throw Abort(.forbidden, reason: "只有本支部书记（党小组由小组长）登记活动 (only the unit's secretary or group leader records)")
        }
        return Permit(actor: user.username, unit: unit)
    }

    /// The permit to keep the branch's dues; 403 for anyone but its secretary.
    static func duesKeeper(_ user: User, of unit: Unit, on db: any Database) async throws -> Permit<Rights.KeepDues> {
        guard mayKeepDues(of: unit, try await Access.roles(of: user, on: db)) else {
            throw Abort(.forbidden, reason: "只有本支部书记登记党费 (only the branch's secretary records its dues)")
        }
        return Permit(actor: user.username, unit: unit)
    }
}
