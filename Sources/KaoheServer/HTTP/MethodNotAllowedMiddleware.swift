import NIOConcurrencyHelpers
import RoutingKit
import Vapor

/// A known address asked with a method it does not take is 405 with `Allow`, not 404: the client learns that the
/// address is right and what to send instead (RFC 9110 15.5.6).
/// `@unchecked`: the router, which RoutingKit does not mark Sendable, is only touched under `lock`.
final class MethodNotAllowedMiddleware: AsyncMiddleware, @unchecked Sendable {
    private let routes: Routes
    private let lock = NIOLock()
    /// Path → the methods its routes take, built once on first use, after every route is registered.
    private var methods: TrieRouter<[HTTPMethod]>?

    init(routes: Routes) {
        self.routes = routes
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch let abort as any AbortError where abort.status == .notFound && request.route == nil {
            let path = request.url.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
            guard let allowed = allowedMethods(path), !allowed.contains(request.method) else {
                throw abort
            }
            let allow = allowed.map(\.rawValue).joined(separator: ", ")
            throw Abort(
                .methodNotAllowed, headers: ["Allow": allow], reason: "此地址不接受 \(request.method.rawValue) 请求，可用：\(allow)"
            )
        }
    }

    private func allowedMethods(_ path: [String]) -> [HTTPMethod]? {
        lock.withLock {
            var parameters = Parameters()
            return router().route(path: path, parameters: &parameters)
        }
    }

    private func router() -> TrieRouter<[HTTPMethod]> {
        do {
            if let methods { return methods }
            var byPath: [String: (path: [PathComponent], methods: [HTTPMethod])] = [:]
            for route in routes.all {
                let key = route.path.map(\.description).joined(separator: "/")
                byPath[key, default: (route.path, [])].methods.append(route.method)
            }
            let router = TrieRouter<[HTTPMethod]>()
            for (_, entry) in byPath where !entry.path.isEmpty {  // RoutingKit takes no empty path; "/" stays 404
                let methods = entry.methods.contains(.GET) ? entry.methods + [.HEAD] : entry.methods
                router.register(methods, at: entry.path)
            }
            methods = router
            return router
        }
    }
}
