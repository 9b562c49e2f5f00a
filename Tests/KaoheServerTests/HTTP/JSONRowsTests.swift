import Foundation
import Testing

@testable import KaoheServer

/// Rows as PostgreSQL's `json_agg` and SQLite's `json_object` write them (`JSONRows`), read back as Fluent reads any row.
@Suite struct JSONRowsTests {
    @Test func aTimestampIsReadWithItsFractionAndOffset() throws {
        let utc = try #require(JSONRows.timestamp("2026-12-03T06:31:53.80223+00:00"))
        #expect(abs(utc.timeIntervalSince1970 - 1_796_279_513.80223) < 0.000_001)
        #expect(JSONRows.timestamp("2026-12-03T14:31:53.80223+08:00") == utc)
        #expect(JSONRows.timestamp("2026-12-03T06:31:53Z") == Date(timeIntervalSince1970: 1_796_279_513))
        #expect(JSONRows.timestamp("1969-12-31T23:59:59-00:00") == Date(timeIntervalSince1970: -1))
        #expect(JSONRows.timestamp("2024-02-29T00:00:00+00") == Date(timeIntervalSince1970: 1_709_164_800))
    }

    @Test func aMalformedTimestampIsNone() {
        for text in [
            "", "2026-12-03", "2026-13-03T00:00:00+00:00", "2026-12-03 06:31:53+00:00", "2026-12-03T06:31:53+0",
            "2026-12-03T06:31:53+00:00 trailing",
        ] {
            #expect(JSONRows.timestamp(text) == nil, "\(text)")
        }
    }

    @Test func anEntryIsDecodedAsFluentDecodesItsRow() throws {
        let text = """
            [{"id":"42f6125c-e54a-420d-bfed-01e28b0ecf7f","created_at":"2026-12-03T06:31:53.80223+00:00",
              "assessment_id":"9e10c32f-92ef-4969-a950-6054028227cb","rule":"1.4.a","count":9223372036854775807,"points":"3","case_text":null,
              "note":"自查发现","self_found":true,"corrected":false,"mitigation":"none","stage":"self","created_by":"zhibu1",
              "withdrawn":false,"withdrawn_by":null,"withdrawn_reason":null,"source":"records","reported_on":null,
              "mitigation_decision":null,"mitigation_decision_reason":null,"mitigation_decided_by":null}]
            """
        let entry = try #require(try JSONRows.rows(text).first).decode(fluentModel: SheetEntry.self)
        #expect(entry.id == UUID(uuidString: "42F6125C-E54A-420D-BFED-01E28B0ECF7F"))
        #expect(entry.$sheet.id == UUID(uuidString: "9E10C32F-92EF-4969-A950-6054028227CB"))
        #expect(entry.count == Int.max)
        #expect(entry.points == "3")
        #expect(entry.caseText == nil)
        #expect(entry.selfFound)
        #expect(entry.mitigation == .none)
        #expect(entry.createdAt == JSONRows.timestamp("2026-12-03T06:31:53.80223+00:00"))
    }

    @Test func sqlitesBooleansAndTimestampsAreReadAsItsJSONObjectWritesThem() throws {
        let text = """
            [{"id":"42F6125C-E54A-420D-BFED-01E28B0ECF7F","created_at":1796279513.80223,
              "assessment_id":"9E10C32F-92EF-4969-A950-6054028227CB","rule":"1.4.a","count":2,"points":"3","case_text":null,
              "note":"自查发现","self_found":1,"corrected":0,"mitigation":"none","stage":"self","created_by":"zhibu1",
              "withdrawn":0,"withdrawn_by":null,"withdrawn_reason":null,"source":"records","reported_on":null,
              "mitigation_decision":null,"mitigation_decision_reason":null,"mitigation_decided_by":null}]
            """
        let entry = try #require(try JSONRows.rows(text).first).decode(fluentModel: SheetEntry.self)
        #expect(entry.selfFound && !entry.corrected && !entry.withdrawn)
        #expect(entry.createdAt == Date(timeIntervalSince1970: 1_796_279_513.80223))
        let whole = try #require(try JSONRows.rows(#"[{"at":1796279513,"flag":2}]"#).first)
        #expect(try whole.decode(column: "at", as: Date.self) == Date(timeIntervalSince1970: 1_796_279_513))
        #expect(throws: DecodingError.self, "only 0 and 1 are booleans") {
            try whole.decode(column: "flag", as: Bool.self)
        }
    }

    @Test func everyEscapeAndNumberIsReadAsJSONHasIt() throws {
        let text = #"""
             [ {"s":"a\"b\\c\/d\b\f\n\r\t","u":"\u8003\u6838 \ud83d\ude00","plain":"党支部","big":9223372036854775807,
               "beyond":9223372036854775808,"neg":-12,"real":-1.5e3,"t":true,"f":false,"n":null} ,{}]
            """#
        let rows = try JSONRows.rows(text)
        #expect(rows.count == 2)
        let row = try #require(rows.first)
        #expect(try row.decode(column: "s", as: String.self) == "a\"b\\c/d\u{8}\u{C}\n\r\t")
        #expect(try row.decode(column: "u", as: String.self) == "考核 😀")
        #expect(try row.decode(column: "plain", as: String.self) == "党支部")
        #expect(try row.decode(column: "big", as: Int64.self) == .max)
        #expect(try row.decode(column: "beyond", as: Double.self) == 9_223_372_036_854_775_808)
        #expect(try row.decode(column: "neg", as: Int.self) == -12)
        #expect(try row.decode(column: "real", as: Double.self) == -1500)
        #expect(try row.decode(column: "t", as: Bool.self) && !(try row.decode(column: "f", as: Bool.self)))
        #expect(try row.decodeNil(column: "n") && row.decodeNil(column: "absent"))
        #expect(try JSONRows.rows("[]").isEmpty)
    }

    @Test func malformedRowsAreRefused() {
        for text in [
            "", "[", "[{]", #"[{"a":1]"#, #"[{"a":1}"#, #"[{"a":1},]"#, #"[{"a" 1}]"#, #"[{"a":"b}]"#,
            #"[{"a":"\x"}]"#, #"[{"a":"\ud83d"}]"#, #"[{"a":"\u12"}]"#, #"[{"a":tru}]"#, #"[{"a":1}] x"#,
            #"[{"a":[1]}]"#, #"[{"a":-}]"#, "[1]",
        ] {
            #expect(throws: DecodingError.self, "\(text)") { try JSONRows.rows(text) }
        }
    }

    /// Whatever a text column holds comes back as it was stored: strings of every kind, written by Foundation's
    /// encoder (as PostgreSQL and SQLite escape less, this is the harder case).
    @Test func anyStringComesBackAsItWasWritten() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = ["a", "\"", "\\", "/", "\n", "\t", "\u{1}", "\u{1F}", "考", "😀", " ", "é", "\u{7F}"]
        for _ in 0..<200 {
            let value = String(
                (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                    alphabet.randomElement(using: &generator)!
                })
            let text = String(decoding: try JSONEncoder().encode([["v": value]]), as: UTF8.self)
            #expect(try JSONRows.rows(text).first?.decode(column: "v", as: String.self) == value, "\(text)")
        }
    }

    @Test func noRowsAndNestedValuesAreToldApart() throws {
        #expect(try JSONRows.rows(nil).isEmpty)
        #expect(throws: DecodingError.self) { try JSONRows.rows(#"[{"id":{"nested":1}}]"#) }
    }
}
