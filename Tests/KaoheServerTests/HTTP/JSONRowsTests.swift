import Foundation
import Testing

@testable import KaoheServer

/// Rows as PostgreSQL's `json_agg` writes them (`JSONRows`), read back as Fluent reads any row.
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

    @Test func noRowsAndNestedValuesAreToldApart() throws {
        #expect(try JSONRows.rows(nil).isEmpty)
        #expect(throws: DecodingError.self) { try JSONRows.rows(#"[{"id":{"nested":1}}]"#) }
    }
}
