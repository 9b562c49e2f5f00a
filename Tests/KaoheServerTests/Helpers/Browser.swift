import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

/// A browser for in-memory tests: keeps the session cookie and the page's CSRF token between requests.
final class Browser {
    let app: Application
    var cookies = HTTPCookies()
    var csrf: String?
    var lastSetCookie: [String] = []
    /// Through the app in memory, or `.running(...)` through a real HTTP server (where bodies stream).
    var method: Application.Method = .inMemory
    /// The last page read, sent as the `Referer` of the next form, as a browser does.
    private var page: String?

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path, form: nil)
    }

    @discardableResult
    func post(_ path: String, form: [String: String], includeCSRF: Bool = true, origin: String? = nil) async throws
        -> TestingHTTPResponse
    {
        var fields = form
        if includeCSRF, let csrf { fields["_csrf"] = csrf }
        return try await send(.POST, path, form: fields, origin: origin)
    }

    /// Posts a file as a multipart form, with the CSRF token and any other fields beside it.
    @discardableResult
    func upload(_ path: String, field: String, filename: String, data: Data, fields: [String: String] = [:])
        async throws -> TestingHTTPResponse
    {
        let boundary = "kaohe-test-boundary"
        var body = Data()
        func part(_ header: String, _ content: Data) {
            body.append(Data("--\(boundary)\r\n\(header)\r\n\r\n".utf8))
            body.append(content)
            body.append(Data("\r\n".utf8))
        }
        part("Content-Disposition: form-data; name=\"_csrf\"", Data((csrf ?? "").utf8))
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            part("Content-Disposition: form-data; name=\"\(name)\"", Data(value.utf8))
        }
        part(
            "Content-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: text/csv",
            data)
        body.append(Data("--\(boundary)--\r\n".utf8))
        // Upload routes check the token in the address before reading the body, as the page's form action sends it.
        let separator = path.contains("?") ? "&" : "?"
        return try await send(
            .POST, path + separator + "_csrf=" + (csrf ?? ""), raw: (body, "multipart/form-data; boundary=\(boundary)"))
    }

    /// A multipart body sent exactly as given (a malformed one among them), with the page's token in the address.
    func uploadRaw(_ path: String, body: Data, boundary: String) async throws -> TestingHTTPResponse {
        let separator = path.contains("?") ? "&" : "?"
        return try await send(
            .POST, path + separator + "_csrf=" + (csrf ?? ""), raw: (body, "multipart/form-data; boundary=\(boundary)"))
    }

    /// A demo user signed in and looking at `page`, ready to post its forms.
    static func signedIn(
        _ app: Application, _ username: String, password: String = DemoBureau.password,
        on page: String
    ) async throws -> Browser {
        let browser = Browser(app)
        try await browser.signIn(username, password)
        try await browser.get(page)
        return browser
    }

    /// Signs in through the form, as a person would.
    @discardableResult
    func signIn(_ username: String, _ password: String) async throws -> TestingHTTPResponse {
        try await get("/login")
        let response = try await post("/login", form: ["username": username, "password": password])
        // A browser follows the redirect, and the page it lands on carries the token renewed at sign-in.
        if response.status == .seeOther, let landing = response.headers.first(name: .location), landing.hasPrefix("/") {
            try await get(landing)
        }
        return response
    }

    private func send(
        _ method: HTTPMethod, _ path: String, form: [String: String]? = nil, origin: String? = nil,
        raw: (Data, String)? = nil
    ) async throws -> TestingHTTPResponse {
        var captured: TestingHTTPResponse?
        let referer = page
        try await app.testing(method: self.method).test(
            method, path,
            beforeRequest: { req in
                if !cookies.all.isEmpty { req.headers.cookie = cookies }
                if method == .POST, let referer {
                    req.headers.replaceOrAdd(name: .referer, value: "http://localhost" + referer)
                    req.headers.replaceOrAdd(name: .host, value: "localhost")
                }
                if let origin { req.headers.replaceOrAdd(name: .origin, value: origin) }
                if let raw {
                    req.headers.replaceOrAdd(name: .contentType, value: raw.1)
                    req.body = ByteBuffer(data: raw.0)
                }
                if let form {
                    req.headers.contentType = .urlEncodedForm
                    req.body = ByteBuffer(
                        string: form.map { key, value in
                            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
                        }.joined(separator: "&"))
                }
            },
            afterResponse: { res in
                captured = res
            })
        let response = try #require(captured)
        if method == .GET { page = path }
        lastSetCookie = response.headers[.setCookie]
        if let setCookie = response.headers.setCookie {
            for (name, value) in setCookie.all {
                if value.string.isEmpty || value.expires.map({ $0 < Date() }) == true {
                    cookies[name] = nil
                } else {
                    cookies[name] = HTTPCookies.Value(string: value.string)
                }
            }
        }
        let body = response.body.string
        if let range = body.range(of: #"name="_csrf" value="[^"]+""#, options: .regularExpression) {
            csrf = String(body[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
        }
        return response
    }
}
