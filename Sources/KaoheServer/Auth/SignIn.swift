import Fluent
import FluentSQL
import Vapor

/// Checks a username and password so that guessing cannot be turned against the account's owner:
/// - each client (address) has its own growing delay on each account, so guesses from one place never lock
///   the right password out elsewhere; the account as a whole slows down only gently;
/// - a client that fails too often, on any accounts, is refused before any Bcrypt work;
/// - an attempt is counted before its password is checked, in one write transaction, so simultaneous guesses
///   each see the ones before them;
/// - a browser the owner signed in from before (`KnownClient`) is counted on its own, whatever others send;
/// - Bcrypt runs on at most half the cores; beyond a short queue a stranger's attempt is refused at once.
struct SignIn {
    enum Failure: Error {
        case invalidCredentials
        case throttled(retryAfter: Int)
    }

    let request: Request
    let throttle: Settings.SignInThrottle

    /// Bcrypt is the costliest thing Kaohe does: at most half the cores at once, so that eight guessers leave the
    /// other half to everyone else's requests.
    static let bcrypt = AsyncGate(permits: bcryptPermits(cores: System.coreCount), maxWaiting: 64)

    static func bcryptPermits(cores: Int) -> Int { max(1, cores / 2) }

    func attempt(username rawUsername: String, password: String) async throws -> User {
        let username = rawUsername.trimmingCharacters(in: .whitespaces).lowercased()
        let user = try await User.query(on: request.db).filter(\.$username == username).first()
        let known = KnownClient.name(in: request, for: user)
        let client = known ?? Self.client(of: request)
        let attempt = try await reserve(username: username, client: client, known: known != nil)
        let verified: Bool
        do {
            // The owner's known browser waits its turn but is never turned away by a queue of guessers.
            verified = try await Self.bcrypt.run(refusable: known == nil) { [request] in
                // An unknown name costs the same Bcrypt work as a wrong password, so timing does not tell names apart.
                if let user { return try await request.password.async.verify(password, created: user.passwordHash) }
                _ = try await request.password.async.hash(password)
                return false
            }
        } catch is AsyncGate.Full {
            try await attempt.delete(on: request.db)
            throw Failure.throttled(retryAfter: 2)
        }
        guard let user, verified else { throw Failure.invalidCredentials }
        // The right password clears this client's failures on the account; another client's stay counted.
        try await SignInFailure.query(on: request.db).filter(\.$username == username).filter(\.$client == client)
            .delete()
        return user
    }

    /// Counts and records the attempt as a failure until its password proves right.
    /// A known client (`KnownClient`) answers for its own failures alone: the account's, sent from elsewhere, do not
    /// slow it down.
    private func reserve(username: String, client: String, known: Bool) async throws -> SignInFailure {
        let throttle = self.throttle
        return try await request.db.writeTransaction { db in
            try await Self.serialize(db)
            let now = Date()
            let recent = SignInFailure.query(on: db).filter(\.$failedAt > now.addingTimeInterval(-throttle.window))
            let byClient = try await recent.copy().filter(\.$client == client).count()
            guard byClient < throttle.maxFailuresPerClient else {
                throw Failure.throttled(retryAfter: Int(throttle.window))
            }
            let onAccount = try await recent.copy().filter(\.$username == username).sort(\.$failedAt, .descending).all()
            let fromHere = onAccount.filter { $0.client == client }
            var counted = [(fromHere, throttle.delay(afterFailures:))]
            if !known { counted.append((onAccount, throttle.accountDelay(afterFailures:))) }
            for (failures, delay) in counted {
                guard let last = failures.first else { continue }
                let wait = delay(failures.count) - now.timeIntervalSince(last.failedAt)
                if wait > 0 { throw Failure.throttled(retryAfter: Int(wait.rounded(.up))) }
            }
            let attempt = SignInFailure(username: username, client: client, failedAt: now)
            try await attempt.create(on: db)
            return attempt
        }
    }

    /// PostgreSQL: one counter at a time (SQLite's writers are one at a time already).
    private static func serialize(_ db: any Database) async throws {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT pg_advisory_xact_lock(7204)").run()
    }

    /// The connecting address; a forwarded one only when Kaohe is told it sits behind a proxy.
    static func client(of request: Request) -> String {
        if request.kaoheSettings.trustForwardedFor,
            let forwarded = request.headers.first(name: "X-Forwarded-For")?.split(separator: ",").last
        {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return request.remoteAddress?.ipAddress ?? "unknown"
    }
}
