import Fluent
import Vapor

/// A person who signs in to Kaohe. What they may do comes from their `RoleGrant`s.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    /// The last password change: browser sessions begun before it are over.
    @OptionalField(key: "credentials_changed_at") var credentialsChangedAt: Date?

    @Children(for: \.$user) var roles: [RoleGrant]

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [$id, $createdAt, $username, $displayName, $passwordHash, $credentialsChangedAt, $roles]
    }

    init() {}

    init(id: UUID? = nil, username: String, displayName: String, passwordHash: String) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
    }
}

extension User: ModelSessionAuthenticatable {}

extension User {
    /// Display names of just these accounts, for pages that name who did what; a name that is no account
    /// (a deleted user, the CLI) is left out and shown as written.
    static func displayNames(of usernames: some Sequence<String>, on db: any Database) async throws -> [String: String]
    {
        let wanted = Array(Set(usernames))
        guard !wanted.isEmpty else { return [:] }
        let users = try await User.query(on: db).filter(\.$username ~~ wanted).all()
        return Dictionary(users.map { ($0.username, $0.displayName) }, uniquingKeysWith: { first, _ in first })
    }
}
