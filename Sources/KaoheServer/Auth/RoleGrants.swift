import Fluent
import KaoheCore
import Vapor

/// Granting and revoking roles: each on a unit of the right kind, each audited, and never leaving the
/// bureau without an admin.
enum RoleGrants {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// The one check of a role against the unit it is held on, for the page, the API and `kaohe user create`.
    /// A bureau role may be given on the general branch before the tree exists: the first admin, who builds it.
    static func requireFitting(_ role: Role, on unitCode: String, db: any Database) async throws {
        let unit = try await Unit.query(on: db).filter(\.$code == unitCode).first()
        if unit == nil, unitCode == OrgTree.rootCode, role.unitKinds == [.general] { return }
        guard let unit else {
            throw Problem(description: "组织代码 \(unitCode) 不存在")
        }
        guard role.unitKinds.contains(unit.kind) else {
            let kinds = role.unitKinds.map(\.label).sorted().joined(separator: "或")
            throw Problem(description: "\(role.label)须设在\(kinds)上，而 \(unit.code) 是\(unit.kind.label)")
        }
    }

    /// Grants `role` from `from` (nil: at once, with no first day recorded). An office one person holds at a time
    /// (`Role.heldByOne`) is refused while another holds it then: their office is ended first, and kept.
    static func grant(
        _ role: Role, on unitCode: String, to user: User, from: CalendarDay? = nil, actor: String, db: any Database
    ) async throws {
        try await requireFitting(role, on: unitCode, db: db)
        let userID = try user.requireID()
        try await db.writeTransaction { db in
            let held = try await RoleGrant.query(on: db).filter(\.$role == role).filter(\.$unitCode == unitCode)
                .with(\.$user).all()
            let start = from?.description ?? ""
            if held.contains(where: { $0.$user.id == userID && ($0.to ?? "9999-12-31") >= start }) {
                throw Problem(description: "\(user.username) 已是 \(unitCode) 的\(role.label)")
            }
            if role.heldByOne, let holder = held.first(where: { ($0.to ?? "9999-12-31") >= start }) {
                throw Problem(
                    description:
                        "from: \(unitCode) 的\(role.label)由 \(holder.user.displayName) 担任\(holder.to.map { "至 \($0)" } ?? "")，新任须自其离任次日起 (an overlapping office: end theirs first)"
                )
            }
            try await RoleGrant(userID: userID, role: role, unitCode: unitCode, from: from?.description).create(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .roleGrant, subject: .user(user.username),
                after: UserRecord.RoleOnUnit(role: role.rawValue, unit: unitCode, from: from?.description))
        }
    }

    /// Ends an office on `last` (its last day): the grant is kept, with its dates, for the history and the 扣奖 of
    /// the quarters it was held in.
    static func end(_ grantID: UUID, of user: User, on last: CalendarDay, actor: String, db: any Database) async throws
    {
        try await db.writeTransaction { db in
            guard
                let grant = try await RoleGrant.query(on: db)
                    .filter(\.$id == grantID).filter(\.$user.$id == user.requireID()).first()
            else { throw Abort(.notFound, reason: "该角色不存在或已被撤销") }
            guard grant.to == nil else { throw Problem(description: "该职务已于 \(grant.to!) 离任") }
            if let first = grant.from, last.description < first {
                throw Problem(description: "date: 离任日期不能早于任职之日 \(first) (before the office began)")
            }
            if grant.role == .admin { try await requireAnotherAdmin(on: db) }
            grant.to = last.description
            try await grant.save(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .roleRevoke, subject: .user(user.username),
                before: UserRecord.RoleOnUnit(role: grant.role.rawValue, unit: grant.unitCode, from: grant.from),
                after: ["to": last.description])
        }
    }

    private static func requireAnotherAdmin(on db: any Database) async throws {
        let admins = try await RoleGrant.query(on: db).filter(\.$role == .admin).filter(\.$to == nil).count()
        guard admins > 1 else { throw Problem(description: "不能撤销最后一个系统管理员") }
    }

    static func revoke(_ grantID: UUID, from user: User, actor: String, db: any Database) async throws {
        try await db.writeTransaction { db in
            guard
                let grant = try await RoleGrant.query(on: db)
                    .filter(\.$id == grantID).filter(\.$user.$id == user.requireID()).first()
            else {
                throw Abort(.notFound, reason: "该角色不存在或已被撤销")
            }
            if grant.role == .admin { try await requireAnotherAdmin(on: db) }
            try await grant.delete(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .roleRevoke, subject: .user(user.username),
                before: UserRecord.RoleOnUnit(role: grant.role.rawValue, unit: grant.unitCode))
        }
    }
}
