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
        return token
    }

    struct Middleware: AsyncMiddleware {
        static let maxFormSize = 2 * 1024 * 1024

        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            guard ![.GET, .HEAD, .OPTIONS].contains(request.method) else {
                return try await next.respond(to: request)
            }
            if let origin = request.headers.first(name: .origin), !Self.isSameOrigin(origin, request) {
                throw Abort(.forbidden, reason: "请求来源不可信（Origin 与本站不符）")
            }
            // A body larger than one read is still streaming when middleware runs; collect it so the token
            // can be read (routes collect anyway). Forms stay under 2 MB; a file upload may reach the evidence limit.
            if request.body.data == nil {
                let isUpload = request.headers.contentType?.type == "multipart"
                let limit = isUpload ? max(Self.maxFormSize, request.kaoheSettings.evidence.maxBytes + 1024 * 1024) : Self.maxFormSize
                _ = try await request.body.collect(max: limit).get()
            }
            let expected = request.hasSession ? request.session.data[CSRF.sessionKey] : nil
            let sent = try? request.content.get(String.self, at: CSRF.formField)
            guard let expected, let sent, Self.constantTimeEqual(expected, sent) else {
                throw Abort(.forbidden, reason: "表单已过期或来源不明，请刷新页面后重试")
            }
            return try await next.respond(to: request)
        }

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
