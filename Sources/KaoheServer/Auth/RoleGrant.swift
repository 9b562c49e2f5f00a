import Fluent
import KaoheCore
import Vapor

/// One role of one user on one unit (the org tree's `code`). A role on one unit gives nothing on a sibling.
final class RoleGrant: Model, @unchecked Sendable {
    static let schema = "role_grants"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Parent(key: "user_id") var user: User
    @Field(key: "role") var role: Role
    @Field(key: "unit_code") var unitCode: String
    /// The first day in office, `yyyy-MM-dd`; nil: since before Kaohe kept the dates.
    @OptionalField(key: "from_day") var from: String?
    /// The last day in office; nil: still held. An ended office is kept, so that its past reads true.
    @OptionalField(key: "to_day") var to: String?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $createdAt, $user, $role, $unitCode, $from, $to] }

    init() {}

    init(userID: UUID, role: Role, unitCode: String, from: String? = nil) {
        self.$user.id = userID
        self.role = role
        self.unitCode = unitCode
        self.from = from
    }

    /// Whether the office is held on `day`.
    func holds(on day: CalendarDay) -> Bool {
        let date = day.description
        return (from ?? "") <= date && (to ?? "9999-12-31") >= date
    }
}
