import Fluent
import Foundation
import KaoheCore
import Testing

@testable import KaoheServer

extension ServerTests {
    /// A sheet's report is held by what it scores (`Sheets.report`): the same input answers the same report, and any
    /// change to the entries, the vetoes or the base bonus is scored anew, never answered from what was held.
    @Suite struct SheetReportTests {
        @Test func aHeldReportFollowsEveryChangeToWhatItScores() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
                let sheet = try #require(
                    try await Sheet.query(on: app.db).filter(\.$unitCode == "branch-2")
                        .filter(\.$period.$id == period.requireID()).first())
                let rubric = try await RubricStore.rubric(id: sheet.$rubric.id, on: app.db)
                let entries = try await sheet.entriesInOrder(on: app.db)
                func report(_ entries: [SheetEntry], vetoes: [String] = []) throws -> UnitReport {
                    try Sheets.report(
                        sheet, rubricVersion: sheet.$rubric.id, entries: entries, rubric: rubric, vetoes: vetoes)
                }
                func scored(_ entries: [SheetEntry], vetoes: [String] = []) throws -> UnitReport {
                    UnitReport(try Sheets.score(sheet, entries: entries, rubric: rubric, vetoes: vetoes))
                }
                let first = try report(entries)
                #expect(try first == scored(entries))
                #expect(try report(entries) == first)

                let deduction = SheetEntry()
                deduction.rule = "1.1.a"
                deduction.note = "又一次未按时召开"
                deduction.mitigation = .none
                (deduction.selfFound, deduction.corrected, deduction.withdrawn) = (false, false, false)
                let more = entries + [deduction]
                let moreReport = try report(more)
                #expect(try moreReport == scored(more))
                #expect(moreReport != first)
                deduction.withdrawn = true
                #expect(try report(more) == first, "a withdrawn entry scores nothing")

                let veto = try #require(rubric.vetoes.first?.id)
                let struck = try report(entries, vetoes: [veto])
                #expect(try struck == scored(entries, vetoes: [veto]))
                #expect(struck != first)

            }
        }
        /// A board scores its sheets from the entries read by hand (`Sheet.scoredEntries`): the same entries in force,
        /// with the same mitigations, as the engine's view of the stored models — a withdrawn one left out, a
        /// mitigation counted only once the panel confirmed it.
        @Test func aBoardReadsTheEntriesInForceAsTheSheetDoes() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let sheets = try await Sheet.query(on: app.db).all()
                let sheet = try #require(sheets.first { $0.unitCode == "branch-2" })
                func entry(_ note: String, withdrawn: Bool, asked: Mitigation, decision: SheetEntry.MitigationDecision?)
                    async throws
                {
                    let row = SheetEntry()
                    row.$sheet.id = try sheet.requireID()
                    (row.rule, row.note, row.count, row.points) = ("1.1.a", note, 2, nil)
                    (row.selfFound, row.corrected, row.withdrawn) = (true, true, withdrawn)
                    (row.mitigation, row.mitigationDecision, row.stage, row.createdBy) = (
                        asked, decision, .selfAssessment, "zhibu2"
                    )
                    try await row.create(on: app.db)
                }
                try await entry("撤回的", withdrawn: true, asked: .none, decision: nil)
                try await entry("待认可", withdrawn: false, asked: .reduced, decision: nil)
                try await entry("已认可", withdrawn: false, asked: .waived, decision: .confirmed)
                let read = try await Sheet.scoredEntries(of: sheets.map { try $0.requireID() }, on: app.db)
                for sheet in sheets {
                    let models = try await sheet.entriesInOrder(on: app.db).filter { !$0.withdrawn }.map(Sheets.entry)
                    #expect(read[try sheet.requireID()] ?? [] == models, "\(sheet.unitCode)")
                }
                let branch = read[try sheet.requireID()] ?? []
                #expect(!branch.contains { $0.note == "撤回的" })
                #expect(branch.first { $0.note == "待认可" }?.mitigation == Mitigation.none)
                #expect(branch.first { $0.note == "已认可" }?.mitigation == .waived)
            }
        }
    }
}
