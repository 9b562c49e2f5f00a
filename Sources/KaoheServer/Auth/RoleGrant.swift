import Fluent
import Vapor

/// One role of one user on one unit (the org tree's `code`). A role on one unit gives nothing on a sibling.
final class RoleGrant: Model, @unchecked Sendable {
    static let schema = "role_grants"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Parent(key: "user_id") var user: User
    @Field(key: "role") var role: Role
    @Field(key: "unit_code") var unitCode: String

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $createdAt, $user, $role, $unitCode] }

    init() {}

    init(userID: UUID, role: Role, unitCode: String) {
        self.$user.id = userID
        self.role = role
        self.unitCode = unitCode
    }
}
