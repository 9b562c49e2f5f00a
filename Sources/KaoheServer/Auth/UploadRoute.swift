import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Routes that take files say so when they are registered; every other route refuses a multipart body before
/// reading it, and an upload route reads its body only after the caller, the CSRF token and `Origin` are known.
enum UploadRoute {
    static let key: AnySendableHashable = "kaohe.upload"

    static func accepts(_ request: Request) -> Bool {
        request.route?.userInfo[key] != nil
    }

    /// The body limit the route was registered with.
    static func limit(_ request: Request) -> Int {
        (request.route?.userInfo[key] as? Int) ?? 0
    }

    /// The one admission of a multipart body, for the API and the pages: an upload route, a signed-in caller, and
    /// `tokenChecked` (the pages' CSRF token) before the body is collected within its limit and deadline.
    static func admit(_ request: Request, tokenChecked: () throws -> Void = {}) async throws {
        guard accepts(request) else {
            throw Abort(.unsupportedMediaType, reason: "此处不接受文件上传 (this route takes no file)")
        }
        guard request.auth.has(User.self) else { throw Abort(.unauthorized, reason: "请先登录 (sign in first)") }
        try tokenChecked()
        try await BodyDeadline.collect(request, max: limit(request), within: BodyDeadline.uploads)
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
        route.userInfo[UploadRoute.key] = limit.value
        return route
    }
}

extension UploadRoute {
    /// For the API, where no CSRF token applies: a multipart body only for an upload route and a signed-in caller,
    /// refused before it is read.
    struct Gate: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            if request.headers.contentType?.type == "multipart" {
                try await UploadRoute.admit(request)
            }
            return try await next.respond(to: request)
        }
    }
}

/// A body must arrive within a deadline, not only without a silence longer than the server's idle timeout: a
/// client dripping a byte a second would otherwise hold a request open for hours.
enum BodyDeadline {
    static let forms: TimeAmount = .seconds(30)
    /// 20 MB over a slow office line (about 200 KB/s) takes under two minutes.
    static let uploads: TimeAmount = .seconds(180)

    /// Collects the body up to `max` bytes (413 beyond), or answers 408 when it is not all there by `deadline`.
    static func collect(_ request: Request, max: Int, within deadline: TimeAmount) async throws {
        guard request.body.data == nil else { return }
        let eventLoop = request.eventLoop
        let promise = eventLoop.makePromise(of: Void.self)
        // Whichever comes first, the whole body or the deadline, completes the promise; the other finds it done.
        let done = NIOLockedValueBox(false)
        func first() -> Bool { done.withLockedValue { wasDone in defer { wasDone = true }; return !wasDone } }
        let timer = eventLoop.scheduleTask(in: deadline) {
            guard first() else { return }
            promise.fail(Abort(.requestTimeout, reason: "请求体传送超时 (the request body took too long)"))
        }
        request.body.collect(max: max).whenComplete { result in
            timer.cancel()
            guard first() else { return }
            switch result {
            case .success: promise.succeed(())
            case .failure(let error): promise.fail(error)
            }
        }
        try await promise.futureResult.get()
    }
}
