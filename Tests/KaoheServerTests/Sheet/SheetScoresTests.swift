import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// The score a board shows for a sheet not yet published is remembered while the sheet stands as it was scored
    /// (`SheetScores`); after every change the engine reads — an entry, the 扣奖 base, a veto — it is the engine's
    /// score counted from scratch.
    @Suite struct SheetScoresTests {
        @Test func aRememberedScoreIsTheEnginesFromScratchAfterEveryChange() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                func check(_ why: Comment) async throws {
                    let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
                    let organizer = try #require(
                        try await User.query(on: app.db).filter(\.$username == "zuzhi").first())
                    for _ in 0..<2 {  // the first read scores and remembers, the second reads what was remembered
                        let board = try await PeriodSheets.load(period, for: organizer, levels: [.branch], on: app.db)
                        let shown = try #require(board.sheets.first { $0.row.unitCode == "branch-1" })
                        let sheet = try #require(try await Sheet.find(shown.row.id, on: app.db))
                        let struck = try await Vetoes.struck(in: period.year, on: app.db)
                        let fresh = try Sheets.score(
                            sheet, entries: try await sheet.entriesInOrder(on: app.db), rubric: shown.rubric,
                            vetoes: struck["branch-1"] ?? [])
                        #expect(shown.score == fresh, why)
                    }
                }
                try await check("as opened")
                let added = try await api.call(
                    .POST, "assessments/branch-1/entries", as: "zhibu1", json: ["rule": "1.1.a", "note": "支部班子配备不全"])
                #expect(added.status == .created, "\(added.body.string)")
                try await check("after an entry")
                let base = try await api.call(
                    .PUT, "penalties/bases", as: "zuzhi", json: ["bases": [["unit": "branch-1", "amount": 6000]]])
                #expect(base.status == .ok, "\(base.body.string)")
                try await check("after the 扣奖 base")
                let veto = try await api.call(
                    .POST, "/api/v1/units/branch-1/vetoes", as: "zuzhi",
                    json: ["veto": "V3", "date": "2026-08-03", "reason": "受党内警告处分"])
                #expect(veto.status == .created, "\(veto.body.string)")
                try await check("after a veto")
            }
        }
    }
}
