import Fluent
import Vapor

/// A failed sign-in, kept to throttle guessing. Stored in the database so that several
/// instances behind one proxy share the count.
final class SignInFailure: Model, @unchecked Sendable {
    static let schema = "sign_in_failures"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "failed_at") var failedAt: Date

    init() {}

    init(username: String, failedAt: Date = Date()) {
        self.username = username
        self.failedAt = failedAt
    }
}
