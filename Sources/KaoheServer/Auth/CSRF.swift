import Crypto
import Vapor

/// Vapor has no CSRF protection of its own: every form carries the session's token in `_csrf`,
/// checked in constant time on every unsafe method; a cross-site `Origin` is refused outright.
enum CSRF {
    static let sessionKey = "csrf"
    static let formField = "_csrf"

    static func newToken() -> String { [UInt8].random(count: 32).base64URLEncoded }

    /// The session's token, created on first use (which also starts the session and sets its cookie).
    static func token(for request: Request) -> String {
        if let token = request.session.data[sessionKey] { return token }
        let token = newToken()
        request.session.data[sessionKey] = token
        request.session.data[UserSession.startedAtKey] = String(Date().timeIntervalSince1970)
        return token
    }

    /// Nothing heavy before knowing who asks: `Origin` first, then the body's kind. A multipart body is taken only
    /// by an upload route (`UploadRoute`), only from a signed-in user, and only with the token in the address
    /// (`?_csrf=`, which the page's form action carries) checked before a byte of the file is read. Other forms are
    /// read up to `maxFormSize` (`maxAnonymousFormSize` before sign-in), refused at once when they say they are larger.
    struct Middleware: AsyncMiddleware {
        static let maxFormSize = 2 * 1024 * 1024
        static let maxAnonymousFormSize = 16 * 1024

        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            guard ![.GET, .HEAD, .OPTIONS].contains(request.method) else {
                return try await next.respond(to: request)
            }
            if let origin = request.headers.first(name: .origin), !Self.isSameOrigin(origin, request) {
                throw Abort(.forbidden, reason: "请求来源不可信（Origin 与本站不符）")
            }
            let expected = request.hasSession ? request.session.data[CSRF.sessionKey] : nil
            if request.headers.contentType?.type == "multipart" {
                try await UploadRoute.admit(request, keepingTypedFields: true) {
                    let sent = try? request.query.get(String.self, at: CSRF.formField)
                    guard let expected, let sent, Self.constantTimeEqual(expected, sent) else { throw Self.refused }
                }
                return try await next.respond(to: request)
            }
            let limit = request.auth.has(User.self) ? Self.maxFormSize : Self.maxAnonymousFormSize
            try BodyLimit.refuseDeclaredOver(limit, request)
            // A body larger than one read is still streaming when middleware runs; collect it so the token can be read.
            try await BodyDeadline.collect(request, max: limit, within: BodyDeadline.forms(request))
            // Read as typed: a text the guard refuses elsewhere in the form (InputGuard) is the route's to refuse,
            // where a page keeps what was typed; the token is checked here either way.
            struct Token: Decodable { let _csrf: String? }  // CSRF.formField
            let sent = (try? request.typedForm(Token.self))?.form._csrf
            guard let expected, let sent, Self.constantTimeEqual(expected, sent) else { throw Self.refused }
            return try await next.respond(to: request)
        }

        static let refused = Abort(.forbidden, reason: "表单已过期或来源不明，请刷新页面后重试")

        static func isSameOrigin(_ origin: String, _ request: Request) -> Bool {
            guard let host = request.headers.first(name: .host),
                let originHost = URL(string: origin)?.host
            else { return false }
            let originPort = URL(string: origin)?.port.map { ":\($0)" } ?? ""
            return (originHost + originPort).lowercased() == host.lowercased()
        }

        static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
            let x = Array(a.utf8), y = Array(b.utf8)
            guard x.count == y.count else { return false }
            return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }
}
