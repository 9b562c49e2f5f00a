import Fluent

/// Sign-in throttled by account and client together; a password change ends the sessions begun before it.
struct M011_SignInByClient: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(SignInFailure.schema).field("client", .string).update()
        try await database.schema(User.schema).field("credentials_changed_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(User.schema).deleteField("credentials_changed_at").update()
        try await database.schema(SignInFailure.schema).deleteField("client").update()
    }
}
