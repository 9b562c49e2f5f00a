import Fluent

/// The audit chain's tail, so that a cut-off chain is told from a short one; filled from the chain as it is.
struct M012_CreateAuditTail: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditTail.schema)
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int, .required)
            .field("hash", .string, .required)
            .create()
        if let last = try await AuditEvent.query(on: database).sort(\.$seq, .descending).first() {
            try await AuditTail(seq: last.seq, hash: last.hash).create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditTail.schema).delete()
    }
}
