import Vapor

/// Headers that keep pages out of frames, stop content sniffing and allow only Kaohe's own scripts and styles.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        // What a signed-in person sees (pages, API answers, evidence) stays out of shared and browser caches.
        if request.auth.has(User.self) || request.headers.bearerAuthorization != nil {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        if !request.wantsJSON {
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value:
                    "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
            )
        }
        return response
    }
}
