import Fluent
import SQLKit
import Vapor

/// The browser session: which user, and since when. A session older than the configured lifetime is
/// ended, whatever the browser keeps.
enum UserSession {
    private static let userKey = "user"
    private static let signedInAtKey = "signedInAt"
    /// When the session began, signed in or not, so that abandoned sessions can be purged.
    static let startedAtKey = "startedAt"

    /// Signs the user in under a fresh session id, so a session id planted before sign-in is worthless.
    static func begin(_ user: User, on request: Request) async throws {
        if let oldID = request.session.id {
            try await request.application.sessions.driver.deleteSession(oldID, for: request).get()
            request.session.id = nil
        }
        // A new token with the new session: one read before sign-in (in a page a stranger could have planted)
        // is worth nothing after it. The pages after sign-in carry the new one.
        request.session.data = SessionData()
        request.session.data[CSRF.sessionKey] = CSRF.newToken()
        request.session.data[userKey] = try user.requireID().uuidString
        request.session.data[signedInAtKey] = String(Date().timeIntervalSince1970)
        request.session.data[startedAtKey] = String(Date().timeIntervalSince1970)
        request.auth.login(user)
    }

    static func end(on request: Request) {
        request.auth.logout(User.self)
        request.session.destroy()
    }

    /// The user the session names, as read with it (`ChangedSessions.readSession`).
    struct Named: StorageKey {
        typealias Value = User
    }

    /// Middleware: logs in the session's user unless the session has expired.
    struct Authenticator: AsyncMiddleware {
        let lifetime: TimeInterval

        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            if request.hasSession,
                let idText = request.session.data[UserSession.userKey], let id = UUID(uuidString: idText)
            {
                let signedInAt = request.session.data[UserSession.signedInAtKey].flatMap(TimeInterval.init) ?? 0
                if Date().timeIntervalSince1970 - signedInAt > lifetime {
                    UserSession.end(on: request)
                } else if let user = request.storage[Named.self], user.id == id {
                    // A password change ends every session begun before it (the changing one is begun anew).
                    if let changed = user.credentialsChangedAt, changed.timeIntervalSince1970 > signedInAt {
                        UserSession.end(on: request)
                    } else {
                        request.auth.login(user)
                    }
                }
            }
            return try await next.respond(to: request)
        }
    }
}

/// Pages behind sign-in send a browser to `/login?next=…` instead of showing a 401.
struct RedirectToSignIn: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(User.self) else {
            let next =
                request.url.path == "/"
                ? ""
                : "?next=" + (request.url.string.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "")
            return request.redirect(to: SiteURL.login.path + next)
        }
        return try await next.respond(to: request)
    }
}
