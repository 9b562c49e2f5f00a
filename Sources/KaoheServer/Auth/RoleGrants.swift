import Fluent
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

    static func grant(_ role: Role, on unitCode: String, to user: User, actor: String, db: any Database) async throws {
        try await requireFitting(role, on: unitCode, db: db)
        let userID = try user.requireID()
        try await db.writeTransaction { db in
            let exists =
                try await RoleGrant.query(on: db)
                .filter(\.$user.$id == userID).filter(\.$role == role).filter(\.$unitCode == unitCode).count() > 0
            guard !exists else { throw Problem(description: "\(user.username) 已是 \(unitCode) 的\(role.label)") }
            try await RoleGrant(userID: userID, role: role, unitCode: unitCode).create(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .roleGrant, subject: .user(user.username),
                after: UserRecord.RoleOnUnit(role: role.rawValue, unit: unitCode))
        }
    }

    static func revoke(_ grantID: UUID, from user: User, actor: String, db: any Database) async throws {
        try await db.writeTransaction { db in
            guard
                let grant = try await RoleGrant.query(on: db)
                    .filter(\.$id == grantID).filter(\.$user.$id == user.requireID()).first()
            else {
                throw Abort(.notFound, reason: "该角色不存在或已被撤销")
            }
            if grant.role == .admin {
                let admins = try await RoleGrant.query(on: db).filter(\.$role == .admin).count()
                guard admins > 1 else { throw Problem(description: "不能撤销最后一个系统管理员") }
            }
            try await grant.delete(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .roleRevoke, subject: .user(user.username),
                before: UserRecord.RoleOnUnit(role: grant.role.rawValue, unit: grant.unitCode))
        }
    }
}
