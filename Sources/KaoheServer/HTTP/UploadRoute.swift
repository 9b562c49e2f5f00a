import NIOCore
import Vapor

/// Routes that take files say so when they are registered; every other route refuses a multipart body before
/// reading it, and an upload route reads its body only after the caller, the CSRF token and `Origin` are known.
enum UploadRoute {
    static let key: AnySendableHashable = "kaohe.upload"
    static let spooledKey: AnySendableHashable = "kaohe.upload.spooled"

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
        if request.route?.userInfo[spooledKey] != nil {
            try await SpooledForm.receive(request, max: limit(request), within: BodyDeadline.uploads)
        } else {
            try await BodyDeadline.collect(request, max: limit(request), within: BodyDeadline.uploads)
        }
    }

    /// A spooled route's body that is not multipart (a form without its file) is collected like any form.
    static func collectOther(_ request: Request) async throws {
        guard request.route?.userInfo[spooledKey] != nil, request.body.data == nil else { return }
        try await BodyDeadline.collect(request, max: CSRF.Middleware.maxFormSize, within: BodyDeadline.forms)
    }
}

extension RoutesBuilder {
    /// Registers a route that takes a file, read up to `limit` after the middleware has checked who asks: into
    /// memory for a small file the route parses whole (a CSV, a rubric), or `spooledToDisk` for evidence, whose
    /// handler reads it through `SpooledForm`.
    @discardableResult
    func upload<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., limit: ByteCount, spooledToDisk: Bool = false,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(method, path, body: spooledToDisk ? .stream : .collect(maxSize: limit), use: handler)
        route.userInfo[UploadRoute.key] = limit.value
        if spooledToDisk { route.userInfo[UploadRoute.spooledKey] = true }
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
            } else {
                try await UploadRoute.collectOther(request)
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
        try await within(deadline, on: request.eventLoop) { promise in
            request.body.collect(max: max).map { _ in }.cascade(to: promise)
        }
    }

    /// Waits for the work `start` begins to complete its promise, or fails with 408 at `deadline`; whichever comes
    /// second finds the promise done (NIO ignores a second completion). The work starts on the request's event
    /// loop, where the body's chunks arrive, so that a handler of them never runs on two threads at once.
    static func within(
        _ deadline: TimeAmount, on eventLoop: any EventLoop,
        _ start: @escaping @Sendable (EventLoopPromise<Void>) -> Void
    ) async throws {
        let promise = eventLoop.makePromise(of: Void.self)
        let timer = eventLoop.scheduleTask(in: deadline) {
            promise.fail(Abort(.requestTimeout, reason: "请求体传送超时 (the request body took too long)"))
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        eventLoop.execute { start(promise) }
        try await promise.futureResult.get()
    }
}
