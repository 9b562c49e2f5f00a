import Foundation
import MultipartKit
import Vapor

/// The one place every text a request carries is checked before anything reads it: JSON, forms, multipart text
/// fields and query strings. A control character (NUL among them, which PostgreSQL cannot store) or a text
/// longer than `TextLimits` is refused with 422 naming the field; a body that cannot be parsed is 400.
enum InputGuard {
    /// Installs the guarded decoders around Vapor's own, once per process (tests build many applications).
    static func install() throws {
        var content = ContentConfiguration.global
        guard !(try content.requireDecoder(for: .json) is Guarded) else { return }
        content.use(decoder: Guarded(try content.requireDecoder(for: .json), inspect: inspectJSON), for: .json)
        content.use(
            decoder: Guarded(try content.requireDecoder(for: .urlEncodedForm), inspect: inspectForm),
            for: .urlEncodedForm)
        content.use(
            decoder: Guarded(try content.requireDecoder(for: .formData), inspect: inspectMultipart), for: .formData)
        content.use(urlDecoder: GuardedQuery(wrapped: try content.requireURLDecoder()))
        ContentConfiguration.global = content
    }

    /// Tab, line feed and carriage return are text; every other C0 control, DEL and the C1 controls are not.
    static func hasControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: false
            case 0x00...0x1F, 0x7F...0x9F: true
            default: false
            }
        }
    }

    static func check(_ text: String, field: String) throws {
        if hasControlCharacter(text) {
            throw ValidationProblem(field: field, rule: "含有控制字符，请删去后重试 (control characters are not allowed)")
        }
        let limit = TextLimits.maximum(for: field.split(separator: ".").last.map(String.init) ?? field)
        if text.count > limit {
            throw ValidationProblem(field: field, rule: "不超过 \(limit) 字 (at most \(limit) characters)")
        }
    }

    // MARK: Inspectors, one per media type

    static func inspectJSON(_ body: ByteBuffer, _ headers: HTTPHeaders) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed])
        } catch {
            throw Abort(.badRequest, reason: "请求体不是合法的 JSON (malformed JSON body)")
        }
        try walk(object, path: "")
    }

    private static func walk(_ value: Any, path: String) throws {
        switch value {
        case let text as String:
            try check(text, field: path.isEmpty ? "请求体" : path)
        case let array as [Any]:
            for element in array { try walk(element, path: path) }
        case let object as [String: Any]:
            for (key, element) in object {
                let field = path.isEmpty ? key : "\(path).\(key)"
                if hasControlCharacter(key) {
                    throw ValidationProblem(field: field, rule: "字段名含有控制字符 (control characters)")
                }
                try walk(element, path: field)
            }
        default:
            break
        }
    }

    static func inspectForm(_ body: ByteBuffer, _ headers: HTTPHeaders) throws {
        try inspectPairs(String(decoding: body.readableBytesView, as: UTF8.self))
    }

    /// `a=1&b=%00`: each name and value percent-decoded as a form sends it.
    static func inspectPairs(_ encoded: String) throws {
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            let name = decoded(parts[0])
            let field = name.replacingOccurrences(of: "[]", with: "")
            try check(name, field: "字段名")
            if parts.count == 2 { try check(decoded(parts[1]), field: field) }
        }
    }

    /// The text fields of a multipart body (files are checked by `EvidenceUploads`); a body that is not
    /// multipart as its header says is 400, not a fault.
    static func inspectMultipart(_ body: ByteBuffer, _ headers: HTTPHeaders) throws {
        guard let boundary = headers.contentType?.parameters["boundary"], !boundary.isEmpty else {
            throw Abort(.badRequest, reason: "multipart 请求缺少 boundary (missing multipart boundary)")
        }
        let parser = MultipartParser(boundary: boundary)
        var name: String?
        var isFile = false
        var text = ByteBuffer()
        var problem: (any Error)?
        parser.onHeader = { field, value in
            guard field.lowercased() == "content-disposition" else { return }
            name = value.firstMatch(of: /name="([^"]*)"/).map { String($0.1) }
            isFile = value.contains("filename=")
        }
        parser.onBody = { chunk in if !isFile { text.writeBuffer(&chunk) } }
        parser.onPartComplete = {
            defer { name = nil; isFile = false; text.clear() }
            guard problem == nil, !isFile, let field = name else { return }
            do { try check(String(decoding: text.readableBytesView, as: UTF8.self), field: field) } catch {
                problem = error
            }
        }
        do {
            var names = MultipartNameCheck(boundary: boundary)
            try names.check(body)
            try parser.execute(body)
        } catch {
            throw Abort(.badRequest, reason: "multipart 请求体格式不正确 (malformed multipart body)")
        }
        if let problem { throw problem }
    }

    // MARK: Decoders

    /// A decoder that inspects the raw body first, then decodes as the wrapped one does.
    struct Guarded: ContentDecoder {
        let wrapped: any ContentDecoder
        let inspect: @Sendable (ByteBuffer, HTTPHeaders) throws -> Void

        init(_ wrapped: any ContentDecoder, inspect: @escaping @Sendable (ByteBuffer, HTTPHeaders) throws -> Void) {
            self.wrapped = wrapped
            self.inspect = inspect
        }

        func decode<D: Decodable>(_ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders) throws -> D {
            try decode(D.self, from: body, headers: headers, userInfo: [:])
        }

        func decode<D: Decodable>(
            _ decodable: D.Type, from body: ByteBuffer, headers: HTTPHeaders,
            userInfo: [CodingUserInfoKey: any Sendable]
        ) throws -> D {
            try inspect(body, headers)
            return try wrapped.decode(D.self, from: body, headers: headers, userInfo: userInfo)
        }
    }

    struct GuardedQuery: URLQueryDecoder {
        let wrapped: any URLQueryDecoder

        func decode<D: Decodable>(_ decodable: D.Type, from url: URI) throws -> D {
            try decode(D.self, from: url, userInfo: [:])
        }

        func decode<D: Decodable>(_ decodable: D.Type, from url: URI, userInfo: [CodingUserInfoKey: any Sendable])
            throws -> D
        {
            try inspectPairs(url.query ?? "")
            return try wrapped.decode(D.self, from: url, userInfo: userInfo)
        }
    }
}

/// Addresses are text too: a control character in a route parameter (`/units/%00`) or in the query string is
/// refused before any route reads it (a lookup like `req.query["year"]` would otherwise just see nothing).
struct PathGuardMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let path = request.url.path.removingPercentEncoding ?? request.url.path
        let query = (request.url.query ?? "").replacingOccurrences(of: "+", with: " ")
        if InputGuard.hasControlCharacter(path)
            || InputGuard.hasControlCharacter(query.removingPercentEncoding ?? query)
        {
            throw Abort(.badRequest, reason: "地址含有控制字符 (control characters in the address)")
        }
        return try await next.respond(to: request)
    }
}
