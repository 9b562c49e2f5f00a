import Fluent
import FluentSQL
import Vapor

/// `Authorization: Bearer …` for the JSON API: finds the token by its hash and refuses expired ones.
struct BearerAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        let hash = UserToken.hash(bearer.token)
        // The token, its user and their roles in one hand-written query: every API call pays for this lookup.
        let sql = request.db.sql
        guard
            let row = try await sql.raw(
                """
                SELECT u.*, k.id AS token_id, k.expires_at AS token_expires_at,
                  \(Access.rolesColumn(of: SQLRaw("u.id"), on: sql))
                FROM \(ident: UserToken.schema) k JOIN \(ident: User.schema) u ON u.id = k.user_id
                WHERE k.token_hash = \(bind: hash)
                """
            ).first(),
            try row.decode(column: "token_expires_at", as: Date.self) > Date()
        else { return }
        let user = try row.decode(fluentModel: User.self)
        try Access.readRoles(of: user, from: row)
        request.auth.login(user)
        request.auth.login(SignedToken(id: try row.decode(column: "token_id", as: UUID.self)))
    }
}

/// The API token a request was signed with, which `DELETE /api/v1/auth/token` revokes.
struct SignedToken: Authenticatable {
    let id: UUID
}
