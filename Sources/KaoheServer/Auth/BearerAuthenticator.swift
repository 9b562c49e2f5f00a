import Fluent
import FluentSQL
import Vapor

/// `Authorization: Bearer …` for the JSON API: finds the token by its hash and refuses expired ones.
struct BearerAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        let hash = UserToken.hash(bearer.token)
        // The token and its user in one hand-written query: every API call pays for this lookup.
        guard
            let row = try await request.db.sql.raw(
                """
                SELECT u.*, t.id AS token_id, t.expires_at AS token_expires_at
                FROM \(ident: UserToken.schema) t JOIN \(ident: User.schema) u ON u.id = t.user_id
                WHERE t.token_hash = \(bind: hash)
                """
            ).first(),
            try row.decode(column: "token_expires_at", as: Date.self) > Date()
        else { return }
        request.auth.login(try row.decode(fluentModel: User.self))
        request.auth.login(SignedToken(id: try row.decode(column: "token_id", as: UUID.self)))
    }
}

/// The API token a request was signed with, which `DELETE /api/v1/auth/token` revokes.
struct SignedToken: Authenticatable {
    let id: UUID
}
