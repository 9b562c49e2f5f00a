import Fluent
import Vapor

/// A failed sign-in, kept to throttle guessing. Stored in the database so that several
/// instances behind one proxy share the count.
final class SignInFailure: Model, @unchecked Sendable {
    static let schema = "sign_in_failures"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "failed_at") var failedAt: Date
    /// The address the attempt came from, so that guessing from one place does not lock out the others.
    @OptionalField(key: "client") var client: String?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $username, $failedAt, $client] }

    init() {}

    init(username: String, client: String, failedAt: Date = Date()) {
        self.username = username
        self.client = client
        self.failedAt = failedAt
    }
}
