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
    }
}
