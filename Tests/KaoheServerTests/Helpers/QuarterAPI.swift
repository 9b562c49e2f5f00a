import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

/// The demo's 2026Q3 driven through the JSON API as the demo bureau's people, one token each.
struct QuarterAPI {
    struct Score: Content { let total: Decimal; let bonus: Decimal; let grade: String; let vetoed: Bool }
    struct Suggestion: Content { let rule: String; let count: Int; let reason: String }
    struct Objection: Content { let id: UUID; let state: String; let reason: String; let decision: String? }
    struct EvidenceFile: Content {
        let id: UUID; let name: String; let sha256: String; let source: String; let size: Int; let entry: UUID?
    }
    struct Entry: Content {
        let id: UUID; let rule: String; let withdrawn: Bool; let evidence: [UUID]
        var mitigation: String? = nil; var mitigationDecision: String? = nil
    }
    struct SheetJSON: Content {
        let state: String
        let version: Int
        let late: Bool
        let selfReported: Bool
        let reviewLate: Bool
        let entries: [Entry]
        let opinions: [String: String]
        let evidence: [EvidenceFile]
        let objection: Objection?
        let suggestions: [Suggestion]
        let score: Score
    }

    let app: Application
    var period = "2026Q3"
    private var tokens: [String: String] = [:]

    init(_ app: Application) { self.app = app }

    mutating func token(_ user: String) async throws -> String {
        if let token = tokens[user] { return token }
        let token = try await apiToken(app, user, DemoBureau.password)
        tokens[user] = token
        return token
    }

    /// Calls `path` (relative to the period, unless it starts with `/`) as `user` with a JSON body.
    @discardableResult
    mutating func call(
        _ method: HTTPMethod, _ path: String, as user: String, json: [String: Any]? = nil,
        _ check: (TestingHTTPResponse) async throws -> Void = { _ in }
    ) async throws -> TestingHTTPResponse {
        let token = try await token(user)
        let url = path.hasPrefix("/") ? path : "/api/v1/periods/\(period)/\(path)"
        var captured: TestingHTTPResponse?
        try await app.testing().test(
            method, url,
            beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                if let json {
                    req.headers.contentType = .json
                    req.body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
                }
            }
        ) { res in
            captured = res
            try await check(res)
        }
        return try #require(captured)
    }

    mutating func sheet(_ unit: String, as user: String = "zuzhi") async throws -> SheetJSON {
        try await call(.GET, "assessments/\(unit)", as: user).content.decode(SheetJSON.self)
    }

    /// Takes one workflow step with the sheet's current version; 考核完毕 carries an overall opinion unless told.
    @discardableResult
    mutating func act(
        _ action: String, on unit: String, as user: String, reason: String? = nil,
        opinion: String? = "考核小组意见：工作扎实，按细则考核。", settling: Bool = true
    ) async throws -> TestingHTTPResponse {
        if action == "review", settling { try await settle(unit, as: user) }
        let version = try await sheet(unit).version
        var body: [String: Any] = ["version": version]
        if let reason { body["reason"] = reason }
        if action == "review", let opinion { body["opinion"] = opinion }
        return try await call(.POST, "assessments/\(unit)/actions/\(action)", as: user, json: body)
    }

    /// What the panel does before 考核完毕 when a test is about something else: it confirms each mitigation asked
    /// and sets aside each suggestion still open, so the score stays the entries' own.
    mutating func settle(_ unit: String, as user: String) async throws {
        let sheet = try await sheet(unit, as: user)
        for entry in sheet.entries
        where !entry.withdrawn && entry.mitigation != "none" && entry.mitigationDecision == nil {
            let res = try await call(
                .POST, "assessments/\(unit)/entries/\(entry.id)/mitigation", as: user,
                json: ["decision": "confirmed", "reason": "自查发现并已整改"])
            #expect(res.status == .ok, "confirm \(entry.rule) on \(unit): \(res.body.string)")
        }
        for suggestion in sheet.suggestions {
            let res = try await call(
                .POST, "assessments/\(unit)/suggestions/dismiss", as: user,
                json: ["rule": suggestion.rule, "reason": "本测试不涉及此项"])
            #expect(res.status == .ok, "dismiss \(suggestion.rule) on \(unit): \(res.body.string)")
        }
    }

    /// Moves a branch's sheet from draft to approved with the demo's people.
    mutating func approve(_ unit: String) async throws {
        let secretary = "zhibu" + unit.replacingOccurrences(of: "branch-", with: "")
        for (action, user) in [("submit", secretary), ("forward", "zuzhi"), ("review", "kaohe1"), ("approve", "shuji")]
        {
            let response = try await act(action, on: unit, as: user)
            #expect(response.status == .ok, "\(action) \(unit): \(response.body.string)")
        }
    }

    /// Posts a file as multipart form data; `over: .running(...)` sends it through a real HTTP server, where the
    /// route's body limit applies (in memory the body arrives already collected).
    @discardableResult
    mutating func upload(
        _ unit: String, as user: String, filename: String, data: Data, source: String = "records",
        over method: Application.Method = .inMemory
    ) async throws -> TestingHTTPResponse {
        try await upload(
            to: "/api/v1/periods/\(period)/assessments/\(unit)/evidence", as: user, filename: filename, data: data,
            fields: ["source": source], over: method)
    }

    /// Posts a file as the multipart field `file` to `path`, with any other fields before it.
    mutating func upload(
        to path: String, as user: String, filename: String, data: Data, fields: [String: String] = [:],
        over method: Application.Method = .inMemory
    ) async throws -> TestingHTTPResponse {
        let token = try await token(user)
        let boundary = "kaohe-evidence-boundary"
        var body = Data()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(
            Data(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    .utf8))
        body.append(data)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var captured: TestingHTTPResponse?
        try await app.testing(method: method).test(
            .POST, path,
            beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
                req.body = ByteBuffer(data: body)
            }
        ) { captured = $0 }
        return try #require(captured)
    }
}
