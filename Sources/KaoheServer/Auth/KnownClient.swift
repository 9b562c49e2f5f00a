import Crypto
import Vapor

/// A browser the account's owner has signed in from before carries a cookie that says so (OWASP's "device
/// cookie"): its failures are counted apart from everyone else's, so that guesses sent from a thousand new addresses
/// slow the guessers down, never the owner at their own desk.
///
/// The cookie names the account and when it was issued, signed (HMAC-SHA256) with the account's password hash:
/// nobody who has not signed in can make one, and a password change makes every earlier one worthless.
enum KnownClient {
    static let cookieName = "kaohe_known"
    static let lifetime: TimeInterval = 365 * 24 * 3600

    /// The cookie to set after `user` signed in.
    static func cookie(for user: User, now: Date = Date(), secure: Bool) -> HTTPCookies.Value {
        let issued = String(Int(now.timeIntervalSince1970))
        let payload = Data("\(user.username)|\(issued)".utf8).hex
        return HTTPCookies.Value(
            string: "\(payload).\(mac(payload, key: user.passwordHash))", maxAge: Int(lifetime), path: "/",
            isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }

    /// The client's own name for the throttle when the request carries a valid cookie for `user`, nil otherwise.
    static func name(in request: Request, for user: User?, now: Date = Date()) -> String? {
        guard let user, let value = request.cookies[cookieName]?.string else { return nil }
        let parts = value.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Data(hex: parts[0]), let text = String(data: payload, encoding: .utf8)
        else { return nil }
        let fields = text.split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 2, fields[0] == user.username, let issued = TimeInterval(fields[1]),
            now.timeIntervalSince1970 - issued < lifetime,
            CSRF.Middleware.constantTimeEqual(mac(String(parts[0]), key: user.passwordHash), String(parts[1]))
        else { return nil }
        return "known:" + String(parts[1].prefix(16))
    }

    private static func mac(_ payload: String, key: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(payload.utf8), using: SymmetricKey(data: Data(key.utf8)))
        return Data(code).hex
    }
}

extension Data {
    /// The cookie's hexadecimal (Vapor's `hex`), read back; nil for anything else.
    fileprivate init?(hex: Substring) {
        guard hex.count % 2 == 0, hex.count <= 512 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}
