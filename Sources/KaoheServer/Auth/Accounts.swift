import Fluent
import Vapor

/// Creating accounts outside a request: the first admin, the demo bureau, `kaohe user create`.
public enum Accounts {
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// Creates a user with Bcrypt-hashed password and the given roles on units.
    public static func create(
        username: String, displayName: String, password: String, roles: [(role: String, unit: String)],
        actor: String, on app: Application
    ) async throws {
        if let problem = PasswordPolicy.problem(password, username: username) {
            throw Problem(description: problem)
        }
        let hash = try await app.password.async.hash(password)
        try await create(
            username: username, displayName: displayName, passwordHash: hash, roles: roles, actor: actor, on: app.db)
    }

    static func create(
        username: String, displayName: String, passwordHash: String, roles: [(role: String, unit: String)],
        actor: String, on db: any Database
    ) async throws {
        let name = username.trimmingCharacters(in: .whitespaces).lowercased()
        guard name.range(of: #"^[a-z0-9_.-]{2,32}$"#, options: .regularExpression) != nil else {
            throw Problem(description: "用户名只能由 2–32 个小写字母、数字、_ . - 组成 (username: [a-z0-9_.-]{2,32}): \(username)")
        }
        let grants = try roles.map { pair in
            guard let role = Role(rawValue: pair.role) else {
                throw Problem(
                    description: "未知角色 \(pair.role)；可用角色：\(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return (role, pair.unit)
        }
        try await db.writeTransaction { db in
            if try await User.query(on: db).filter(\.$username == name).count() > 0 {
                throw Problem(description: "用户 \(name) 已存在 (user exists)")
            }
            for (role, unit) in grants {
                do {
                    try await RoleGrants.requireFitting(role, on: unit, db: db)
                } catch let problem as RoleGrants.Problem {
                    throw Problem(description: problem.description)
                }
            }
            let user = User(username: name, displayName: displayName, passwordHash: passwordHash)
            try await user.create(on: db)
            for (role, unit) in grants {
                try await RoleGrant(userID: try user.requireID(), role: role, unitCode: unit).create(on: db)
            }
            // The password hash never enters the audit log.
            try await AuditLog.append(
                on: db, actor: actor, action: .userCreate, subject: .user(name),
                after: UserRecord(
                    username: name, displayName: displayName,
                    roles: grants.map { .init(role: $0.0.rawValue, unit: $0.1) }))
        }
    }
}

/// What the audit log keeps of a user.
struct UserRecord: Codable, Sendable {
    struct RoleOnUnit: Codable, Sendable {
        let role: String
        let unit: String
        /// The first day in office, when given.
        var from: String? = nil
    }
    let username: String
    let displayName: String
    let roles: [RoleOnUnit]
}
