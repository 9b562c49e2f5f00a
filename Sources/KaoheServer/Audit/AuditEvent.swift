import Fluent
import Vapor

/// One change, chained to the one before by SHA-256 so that editing or deleting history is detectable.
/// Every field that enters the hash is stored as text, exactly as hashed.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    /// 1, 2, 3, … without gaps; unique, so two writers cannot both extend the same tail.
    @Field(key: "seq") var seq: Int
    /// ISO 8601 with milliseconds, UTC.
    @Field(key: "at") var at: String
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "subject") var subject: String
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [$id, $seq, $at, $actor, $action, $subject, $before, $after, $previousHash, $hash]
    }

    /// The event's `after` as text fields (a workflow step's `reason`, `late`); empty when it holds anything else.
    var afterFields: [String: String] {
        after.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) } ?? [:]
    }

    init() {}

    init(
        seq: Int, at: String, actor: String, action: String, subject: String, before: String?, after: String?,
        previousHash: String, hash: String
    ) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.before = before
        self.after = after
        self.previousHash = previousHash
        self.hash = hash
    }
}
