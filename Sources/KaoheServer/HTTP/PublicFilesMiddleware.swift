import Vapor

/// The public files live under `/css/` alone: `FileMiddleware` asks the file system about every address it sees, on
/// the thread pool, so every page and API call paid a thread's round trip for a file that cannot be there.
struct PublicFilesMiddleware: AsyncMiddleware {
    let files: FileMiddleware
    static let folders = ["/css/"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path
        guard Self.folders.contains(where: { path.hasPrefix($0) }) else { return try await next.respond(to: request) }
        return try await files.respond(to: request, chainingTo: next)
    }
}
