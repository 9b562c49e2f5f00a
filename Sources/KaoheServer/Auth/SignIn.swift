import Fluent
import Vapor

/// Checks a username and password, counting failures so that guessing is throttled per account.
struct SignIn {
    enum Failure: Error {
        case invalidCredentials
        case throttled
    }

    let request: Request
    let throttle: Settings.SignInThrottle

    func attempt(username rawUsername: String, password: String) async throws -> User {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        let since = Date().addingTimeInterval(-throttle.window)
        let recentFailures = try await SignInFailure.query(on: request.db)
            .filter(\.$username == username)
            .filter(\.$failedAt > since)
            .count()
        guard recentFailures < throttle.maxFailures else { throw Failure.throttled }

        let user = try await User.query(on: request.db).filter(\.$username == username).first()
        // An unknown name costs the same Bcrypt work as a wrong password, so timing does not tell names apart.
        let verified: Bool
        if let user {
            verified = try await request.password.async.verify(password, created: user.passwordHash)
        } else {
            _ = try await request.password.async.hash(password)
            verified = false
        }
        guard let user, verified else {
            try await SignInFailure(username: username).create(on: request.db)
            throw Failure.invalidCredentials
        }
        try await SignInFailure.query(on: request.db).filter(\.$username == username).delete()
        return user
    }
}
