import Fluent
import Vapor

/// `Authorization: Bearer …` for the JSON API: finds the token by its hash and refuses expired ones.
struct BearerAuthenticator: AsyncBearerAuthenticator {
    func authenticate(bearer: BearerAuthorization, for request: Request) async throws {
        let hash = UserToken.hash(bearer.token)
        // The token and its user in one query: every API call pays for this lookup.
        guard let token = try await UserToken.query(on: request.db).join(parent: \.$user)
            .filter(\.$tokenHash == hash)
            .first(),
            token.expiresAt > Date()
        else { return }
        let user = try token.joined(User.self)
        token.$user.value = user
        request.auth.login(user)
        request.auth.login(token)
    }
}

extension UserToken: Authenticatable {}
