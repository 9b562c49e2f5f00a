import Fluent
import Vapor

/// The newest event's number and hash, kept apart from the events: deleting the newest events leaves the chain
/// itself intact, so only this record shows that they are gone. Moved by the database at each event inserted
/// (M020's trigger), in that event's transaction.
final class AuditTail: Model, @unchecked Sendable {
    static let schema = "audit_tail"
    /// The one row.
    static let only = 1

    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "seq") var seq: Int
    @Field(key: "hash") var hash: String

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $seq, $hash] }

    init() {}

    init(seq: Int, hash: String) {
        self.id = Self.only
        self.seq = seq
        self.hash = hash
    }
}
