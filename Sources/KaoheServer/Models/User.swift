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

    @Children(for: \.$user) var roles: [RoleGrant]

    init() {}

    init(id: UUID? = nil, username: String, displayName: String, passwordHash: String) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.passwordHash = passwordHash
    }
}

extension User: ModelSessionAuthenticatable {}
