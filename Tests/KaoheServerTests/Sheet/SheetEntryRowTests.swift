import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// A sheet's entries are read by hand from their rows (`SheetEntry(row:)`), not through Fluent's model decoding:
    /// every column must come back as Fluent reads it, on both databases and by both reads of a sheet's parts.
    @Suite struct SheetEntryRowTests {
        @Test func anEntryReadByHandIsTheModelFluentReads() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
                let sheet = try #require(
                    try await Sheet.query(on: app.db).filter(\.$period.$id == period.requireID())
                        .filter(\.$unitCode == "branch-1").first())
                // Every column set, none left to its default.
                let entry = SheetEntry()
                entry.$sheet.id = try sheet.requireID()
                (entry.rule, entry.count, entry.points) = ("2.1.a", 2, "1.5")
                (entry.caseText, entry.note, entry.selfFound, entry.corrected) = ("个案", "说明", true, true)
                (entry.mitigation, entry.stage, entry.createdBy) = (.reduced, .panel, "kaohe1")
                (entry.withdrawn, entry.withdrawnBy, entry.withdrawnReason) = (true, "kaohe1", "重复")
                (entry.source, entry.reportedOn) = (Evidence.Source.allCases.last, "2026-08-01")
                (entry.mitigationDecision, entry.mitigationDecisionReason, entry.mitigationDecidedBy) = (
                    .refused, "理由不足", "kaohe2"
                )
                try await entry.save(on: app.db)

                func json(_ entries: [SheetEntry]) throws -> String {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = .sortedKeys
                    // To the second: PostgreSQL's JSON of the folded read writes its own fraction.
                    encoder.dateEncodingStrategy = .custom { date, encoder in
                        var value = encoder.singleValueContainer()
                        try value.encode(Int(date.timeIntervalSince1970))
                    }
                    return String(decoding: try encoder.encode(entries), as: UTF8.self)
                }
                let byFluent = try await sheet.entries(on: app.db).sort(\.$createdAt).all()
                let byHand = try await sheet.entriesInOrder(on: app.db)
                #expect(byHand.map(\.id) == byFluent.map(\.id))
                #expect(try json(byHand) == json(byFluent))
                #expect(byHand.allSatisfy { $0.$id.exists }, "read, so stored: a save updates it")
                let parts = try await SheetDocument.Parts.read(of: sheet, in: period, on: app.db)
                #expect(try json(parts.entries) == json(byFluent), "the sheet's parts, folded on PostgreSQL")
            }
        }
    }
}
