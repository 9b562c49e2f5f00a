import Fluent
import Vapor

/// `Authorization: Bearer …` for the JSON API: finds the token by its hash and refuses expired ones.
struct BearerAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        let hash = UserToken.hash(bearer.token)
        guard let token = try await UserToken.query(on: request.db)
            .filter(\.$tokenHash == hash)
            .with(\.$user)
            .first(),
            token.expiresAt > Date()
        else { return }
        request.auth.login(token.user)
        request.auth.login(token)
    }
}

extension UserToken: Authenticatable {}
