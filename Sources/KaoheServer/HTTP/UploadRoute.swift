import NIOCore
import Vapor

/// Routes that take files say so when they are registered; every other route refuses a multipart body before
/// reading it, and an upload route reads its body only after the caller, the CSRF token and `Origin` are known.
enum UploadRoute {
    static let key: AnySendableHashable = "kaohe.upload"

    /// Who may send this route a file, decided from the path and the session alone (the sheet's state and the
    /// caller's roles on its unit), so that nobody else makes the server read and hash a file it will refuse.
    /// The handler checks again with the body read; this only refuses early.
    typealias Admission = @Sendable (Request) async throws -> Void
    /// For a route whose access rule (`requiring`) already says everything.
    static let ruleSuffices: Admission = { _ in }

    /// What a route that takes files was registered with.
    struct Registration: Sendable {
        let limit: Int
        let spooledToDisk: Bool
        let admits: Admission
    }

    static func registration(_ request: Request) -> Registration? {
        request.route?.userInfo[key] as? Registration
    }

    /// The one admission of a multipart body, for the API and the pages: an upload route, a signed-in caller,
    /// `tokenChecked` (the pages' CSRF token), the route's access rule and its own admission, and a declared length
    /// within the limit, before the body is collected within its limit and deadline. A page's form sent with a file
    /// over the limit is read up to the limit instead (`keepingTypedFields`): the page returns with what was typed
    /// and asks for the file again, where the API's caller, who has its request still, gets 413 from the headers.
    static func admit(
        _ request: Request, keepingTypedFields: Bool = false, tokenChecked: () throws -> Void = {}
    ) async throws {
        guard let registration = registration(request) else {
            throw Abort(.unsupportedMediaType, reason: "此处不接受文件上传 (this route takes no file)")
        }
        guard request.auth.has(User.self) else { throw Abort(.unauthorized, reason: "请先登录 (sign in first)") }
        try tokenChecked()
        try await Authorize.check(request)
        do {
            try await registration.admits(request)
        } catch let abort as AbortError where keepingTypedFields && abort.status == .conflict {
            // A writer of the sheet in a state that no longer takes it (报送 by a colleague meanwhile): read what
            // they typed, up to the limit, so that the handler's own check returns it to them with the reason.
        }
        if registration.spooledToDisk {
            if !keepingTypedFields { try BodyLimit.refuseDeclaredOver(registration.limit, request) }
            try await SpooledForm.receive(
                request, max: registration.limit, within: BodyDeadline.uploads, keepingTypedFields: keepingTypedFields)
        } else {
            try BodyLimit.refuseDeclaredOver(registration.limit, request)
            try await BodyDeadline.collect(request, max: registration.limit, within: BodyDeadline.uploads)
        }
    }

    /// A body that is not multipart, within the route's limit and the forms' deadline: a spooled route's form
    /// without its file, and every JSON body of the API, which a client dripping a byte at a time would otherwise
    /// hold open for as long as it liked.
    static func collectOther(_ request: Request) async throws {
        guard request.body.data == nil, ![.GET, .HEAD].contains(request.method) else { return }
        let limit =
            registration(request).map { $0.spooledToDisk ? CSRF.Middleware.maxFormSize : $0.limit }
            ?? (request.route?.userInfo[BodyLimit.key] as? Int)
            ?? request.application.routes.defaultMaxBodySize.value
        try BodyLimit.refuseDeclaredOver(limit, request)
        try await BodyDeadline.collect(request, max: limit, within: BodyDeadline.forms(request))
    }
}

/// A body whose `Content-Length` is over the limit is refused from its headers, before a byte of it is waited for.
enum BodyLimit {
    static let key: AnySendableHashable = "kaohe.body-limit"

    static func refuseDeclaredOver(_ limit: Int, _ request: Request) throws {
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > limit {
            throw Abort(.payloadTooLarge, reason: "请求内容过大，上限 \(limit / 1024) KB (the body is over the limit)")
        }
    }
}

extension RoutesBuilder {
    /// Registers a route that takes a file, read up to `limit` after the middleware has checked who asks (`admits`):
    /// into memory for a small file the route parses whole (a CSV, a rubric), or `spooledToDisk` for evidence, whose
    /// handler reads it through `SpooledForm`.
    @discardableResult
    func upload<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., limit: ByteCount, spooledToDisk: Bool = false,
        admits: @escaping UploadRoute.Admission, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(method, path, body: spooledToDisk ? .stream : .collect(maxSize: limit), use: handler)
        route.userInfo[UploadRoute.key] = UploadRoute.Registration(
            limit: limit.value, spooledToDisk: spooledToDisk, admits: admits)
        return route
    }
}

extension RoutesBuilder {
    /// Registers a route whose body (a CSV sent as it is) may be larger than a JSON request's.
    @discardableResult
    func on<Response: AsyncResponseEncodable>(
        _ method: HTTPMethod, _ path: PathComponent..., bodyUpTo limit: ByteCount,
        use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        let route = on(method, path, body: .collect(maxSize: limit), use: handler)
        route.userInfo[BodyLimit.key] = limit.value
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
    static func forms(_ request: Request) -> TimeAmount {
        .milliseconds(Int64(request.kaoheSettings.formBodyDeadline * 1000))
    }
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
