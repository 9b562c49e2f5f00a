import Fluent
import Foundation
import Testing
import Vapor

@testable import KaoheServer

extension ServerTests {
    /// The sheet's document is written field by field (`JSONOutput`), not through `JSONEncoder`: what it writes must
    /// read exactly as what `JSONEncoder`, as Vapor configures it, writes of the same document.
    @Suite struct SheetJSONTests {
        static func parsed(_ data: Data) throws -> NSDictionary {
            try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
        }

        static func written(_ document: SheetDTO) -> Data {
            var json = JSONOutput(ByteBufferAllocator().buffer(capacity: 0))
            document.write(to: &json)
            return Data(json.buffer.readableBytesView)
        }

        static func encoded(_ document: SheetDTO) throws -> Data {
            var buffer = ByteBufferAllocator().buffer(capacity: 0)
            var headers = HTTPHeaders()
            try ContentConfiguration.global.requireEncoder(for: .json).encode(document, to: &buffer, headers: &headers)
            return Data(buffer.readableBytesView)
        }

        /// Every sheet of the demo bureau, in every state it has: entries with points, mitigations and their
        /// decisions, evidence, opinions, objections with outcomes, suggestions, snapshots.
        @Test func everyDemoSheetReadsAsJSONEncoderWritesIt() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                // Evidence behind an entry, a published quarter, an objection upheld (its outcome is written then).
                var api = QuarterAPI(app)
                let upload = try await api.upload(
                    "branch-1", as: "zhibu1", filename: "会议记录.pdf", data: Data("%PDF-1.4\n记录".utf8))
                #expect(upload.status == .created, "\(upload.body.string)")
                let file = try upload.content.decode(QuarterAPI.EvidenceFile.self)
                try await api.call(
                    .POST, "assessments/branch-1/entries", as: "zhibu1",
                    json: ["rule": "1.1.a", "note": "缺记录", "evidence": [file.id.uuidString]]
                ) { #expect($0.status == .created) }
                for unit in ["branch-1", "branch-2", "branch-3", "branch-4"] { try await api.approve(unit) }
                try await api.call(.POST, "publish", as: "zuzhi") { #expect($0.status == .ok) }
                try await api.call(.POST, "assessments/branch-2/objection", as: "zhibu2", json: ["reason": "有通知为证"])
                try await api.call(.POST, "assessments/branch-2/objection/uphold", as: "zuzhi", json: ["reason": "属实"])
                {
                    #expect($0.status == .ok)
                }
                var compared = 0, objections = 0, evidence = 0
                for period in try await Period.query(on: app.db).all() {
                    for sheet in try await Sheet.query(on: app.db).filter(\.$period.$id == period.requireID()).all() {
                        let document = try await SheetDTO(SheetDocument.load(sheet, of: period, on: app.db))
                        #expect(
                            try Self.parsed(Self.written(document)) == Self.parsed(Self.encoded(document)),
                            "\(period.code) \(sheet.unitCode)")
                        compared += 1
                        objections += document.objection == nil ? 0 : 1
                        evidence += document.evidence.count
                    }
                }
                #expect(
                    compared > 20 && objections > 0 && evidence > 0,
                    "\(compared) sheets, \(objections) objections, \(evidence) files")
            }
        }

        /// Quotes, backslashes, slashes, line breaks, control characters and Chinese in every kind of text.
        @Test func anyTextIsEscapedAsJSONEncoderEscapesIt() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
                let sheet = try #require(
                    try await Sheet.query(on: app.db).filter(\.$period.$id == period.requireID())
                        .filter(\.$unitCode == "branch-1").first())
                let base = try await SheetDTO(SheetDocument.load(sheet, of: period, on: app.db))
                let text = "第\"一\"\\支部/组\n\r\t\u{1}\u{1F}\u{7F}\u{8}\u{C} 😀"
                let document = SheetDTO(
                    period: text, unit: text, level: base.level, rubric: text, state: base.state, version: -3,
                    late: true,
                    selfReported: false, reviewLate: true, publishedOn: nil, entries: base.entries,
                    opinions: [text: text, "1.1": ""], opinion: text, evidence: base.evidence,
                    objection: base.objection,
                    suggestions: [SuggestionDTO(rule: text, count: 0, reason: text)], dismissed: [], pace: base.pace,
                    selfScore: nil, score: base.score)
                #expect(try Self.parsed(Self.written(document)) == Self.parsed(Self.encoded(document)))
            }
        }
    }
}
