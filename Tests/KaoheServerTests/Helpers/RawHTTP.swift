import Foundation
import Testing
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// A request written byte by byte to a real server, for what no HTTP client sends: a `Content-Length` the body never
/// meets. Answers the status line's code, or nil when none came within `wait`.
enum RawHTTP {
    /// Runs `body` with the app listening on a free loopback port.
    static func serving<T>(_ app: Application, _ body: (Int) async throws -> T) async throws -> T {
        try await app.server.start(address: .hostname("127.0.0.1", port: 0))
        do {
            let result = try await body(try #require(app.http.server.shared.localAddress?.port))
            await app.server.shutdown()
            return result
        } catch {
            await app.server.shutdown()
            throw error
        }
    }

    static func status(port: Int, _ request: String, wait: TimeInterval = 5) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return nil }
        var timeout = timeval(tv_sec: Int(wait), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(request.utf8)
        guard send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 64)
        let read = recv(fd, &buffer, buffer.count, 0)
        guard read > 12 else { return nil }
        // "HTTP/1.1 413 …"
        return Int(String(decoding: buffer[9..<12], as: UTF8.self))
    }
}
