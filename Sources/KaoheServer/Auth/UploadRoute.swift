import Vapor

/// Routes that take files say so when they are registered; every other route refuses a multipart body before
/// reading it, and an upload route reads its body only after the caller, the CSRF token and `Origin` are known.
enum UploadRoute {
    static let key: AnySendableHashable = "kaohe.upload"

    static func accepts(_ request: Request) -> Bool {
        request.route?.userInfo[key] != nil
    }
}

extension RoutesBuilder {
    /// Registers a route that takes a file: its body is collected up to `limit`, after the middleware has checked
    /// who asks.
    @discardableResult
    func upload<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., limit: ByteCount,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(method, path, body: .collect(maxSize: limit), use: handler)
        route.userInfo[UploadRoute.key] = true
        return route
    }
}

extension UploadRoute {
    /// For the API, where no CSRF token applies: a multipart body only for an upload route and a signed-in caller,
    /// refused before it is read.
    struct Gate: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            if request.headers.contentType?.type == "multipart" {
                guard UploadRoute.accepts(request) else {
                    throw Abort(.unsupportedMediaType, reason: "此接口不接受 multipart 请求体 (this route takes no file)")
                }
                guard request.auth.has(User.self) else { throw Abort(.unauthorized, reason: "请先登录 (sign in first)") }
            }
            return try await next.respond(to: request)
        }
    }
}
