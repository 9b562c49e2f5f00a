import Crypto
import Fluent
import Vapor

/// An API bearer token. Only its SHA-256 is stored, so a copy of the database signs nobody in.
final class UserToken: Model, @unchecked Sendable {
    static let schema = "user_tokens"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @Parent(key: "user_id") var user: User

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $createdAt, $tokenHash, $expiresAt, $user] }

    init() {}

    init(userID: UUID, tokenHash: String, expiresAt: Date) {
        self.$user.id = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }

    /// Issues a fresh random token; returns the model to save and the plaintext to hand out once.
    static func issue(for userID: UUID, lifetime: TimeInterval) -> (model: UserToken, plaintext: String) {
        let plaintext = [UInt8].random(count: 32).base64URLEncoded
        let model = UserToken(
            userID: userID, tokenHash: hash(plaintext), expiresAt: Date().addingTimeInterval(lifetime))
        return (model, plaintext)
    }

    static func hash(_ plaintext: String) -> String {
        SHA256.hash(data: Data(plaintext.utf8)).hex
    }
}

extension [UInt8] {
    /// URL-safe base64 without padding, for tokens that travel in headers and forms.
    var base64URLEncoded: String {
        Data(self).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
