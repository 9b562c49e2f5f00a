import Fluent
import Foundation
import MultipartKit
import NIOCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// A multipart body is the attacker's easiest input: every route that reads one must answer 400 to any bytes,
    /// never trap. MultipartKit 4.7.1 traps on a byte ≥ 0x80 in a part's header name (CI's fuzzer sent
    /// `--b\r\n\u{c2}\u{80}…` and the server died); `MultipartNameCheck` stands in front of it.
    @Suite struct MultipartTests {
        /// The body the fuzzer sent, as it sent it.
        static let fuzzed =
            Data("--acb3\r\n".utf8) + Data([0xC2, 0x80, 0xC3, 0xB8, 0xC3, 0xB8, 0xF0, 0xB6, 0x9E, 0xA7])
            + Data("--acb3--\r\n".utf8)

        @Test func aHighByteInAPartsHeaderNameIsBadRequestOnASpooledUpload() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let token = try await api.token("zhibu1")
                try await app.testing().test(
                    .POST, "/api/v1/periods/2026Q3/assessments/branch-1/evidence",
                    beforeRequest: { req in
                        req.headers.bearerAuthorization = .init(token: token)
                        req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=acb3")
                        req.body = ByteBuffer(data: Self.fuzzed)
                    }
                ) { #expect($0.status == .badRequest) }
                try await app.testing().test(.GET, "/healthz") { #expect($0.status == .ok) }
            }
        }

        @Test func aHighByteInAPartsHeaderNameIsBadRequestOnAFormTheServerReadsWhole() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await Browser.signedIn(app, "admin", on: "/admin/org")
                let res = try await browser.uploadRaw("/admin/org/import", body: Self.fuzzed, boundary: "acb3")
                #expect(res.status == .badRequest)
                try await app.testing().test(.GET, "/healthz") { #expect($0.status == .ok) }
            }
        }

        /// A NUL in an upload's file name was cut on SQLite and a 500 on PostgreSQL: it meets the one check every
        /// decoded text meets, 422 naming the field, nothing kept.
        @Test func aControlCharacterInAFileNameIsRefusedNamingItsField() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let token = try await api.token("zhibu1")
                let before = try await Evidence.query(on: app.db).count()
                let body =
                    "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"记录\u{0}.pdf\"\r\n"
                    + "Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--b--\r\n"
                try await app.testing().test(
                    .POST, "/api/v1/periods/2026Q3/assessments/branch-1/evidence",
                    beforeRequest: { req in
                        req.headers.bearerAuthorization = .init(token: token)
                        req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=b")
                        req.body = ByteBuffer(string: body)
                    }
                ) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(
                        (try? res.content.decode(ErrorBody.self))?.reason.hasPrefix("file:") == true,
                        "\(res.body.string)")
                }
                #expect(try await Evidence.query(on: app.db).count() == before, "nothing kept")
            }
        }

        @Test func aChineseFilenameInAHeaderValueIsStillAccepted() throws {
            var check = MultipartNameCheck(boundary: "b")
            let body =
                "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"三会一课记录.pdf\"\r\n\r\n%PDF\r\n--b--\r\n"
            try check.check(ByteBuffer(string: body))
        }

        /// Thousands of damaged bodies, cut into chunks anywhere: wherever the check lets a chunk through, the
        /// parser must not trap on it (a trap ends this test process, so the test fails loudly).
        @Test func theCheckStandsBeforeEveryTrapOfTheParser() throws {
            let boundary = "b0undary"
            let valid = Array(
                ("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n会议\r\n"
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"记录.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                    + "line\r\n--b0un\r\nmore\r\n--\(boundary)--\r\n").utf8)
            var random = SplitMix(seed: 2026)
            var refused = 0
            for _ in 0..<5_000 {
                var body = valid
                for _ in 0..<(1 + random.next(below: 4)) {
                    body[random.next(below: body.count)] = UInt8(random.next(below: 256))
                }
                let parser = MultipartParser(boundary: boundary)
                var check = MultipartNameCheck(boundary: boundary)
                var offset = 0
                feeding: while offset < body.count {
                    let end = min(body.count, offset + 1 + random.next(below: 40))
                    let chunk = ByteBuffer(bytes: body[offset..<end])
                    offset = end
                    do { try check.check(chunk) } catch { refused += 1; break feeding }
                    do { try parser.execute(chunk) } catch { break feeding }
                }
            }
            #expect(refused > 0, "the damage reached a header name at least once")
        }
    }
}

/// A small seeded generator, so a failure repeats.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
