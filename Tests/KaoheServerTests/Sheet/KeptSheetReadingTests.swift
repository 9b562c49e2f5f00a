import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 29: a draft sheet's reading of the records is kept for the day by its first read, and served only while
    /// nothing it counts has changed. Each kind of change is made here and the sheet compared with a count from
    /// scratch.
    @Suite struct KeptSheetReadingTests {
        typealias SheetJSON = SuggestionDismissalTests.SheetJSON

        static func kept(_ unit: String, on app: Application) async throws -> KeptSheetReading? {
            let sheet = try await Sheet.query(on: app.db).filter(\.$unitCode == unit).join(
                Period.self, on: \Sheet.$period.$id == \Period.$id
            )
            .filter(Period.self, \.$code == "2026Q3").first()
            guard let id = sheet?.id else { return nil }
            return try await KeptSheetReading.query(on: app.db).filter(\.$sheetID == id).first()
        }

        /// The sheet as served, and its findings counted from scratch, less its entries as the sheet sets them.
        static func agrees(_ unit: String, as user: String, _ api: inout QuarterAPI, _ comment: Comment) async throws
            -> SheetJSON
        {
            let served = try await api.call(.GET, "assessments/\(unit)", as: user).content.decode(SheetJSON.self)
            let app = api.app
            let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
            let sheet = try #require(
                try await Sheet.query(on: app.db).filter(\.$unitCode == unit).filter(
                    \.$period.$id == period.requireID()
                )
                .first())
            let rubric = try await RubricStore.rubric(id: sheet.$rubric.id, on: app.db)
            let quarter = try #require(Quarter(year: period.year, quarter: period.quarter))
            let counted = try await SheetDocument.countedFindings(
                sheet, quarter: quarter, rubric: rubric, today: BureauCalendar.today(), on: app.db)
            let kept = try #require(try await kept(unit, on: app), "\(comment): the read kept its reading")
            let keptFound = try JSONDecoder().decode(KeptSheetReading.Found.self, from: Data(kept.reading.utf8))
            #expect(keptFound == counted.found, "\(comment): the kept reading is the count from scratch")
            #expect(
                kept.listing.flatMap(KeptSheetReading.Listing.init(text:)) == counted.listing,
                "\(comment): so is 台账对照's part of it")
            let entries = try await SheetEntry.query(on: app.db).filter(\.$sheet.$id == sheet.requireID()).all()
            let offered = counted.found.findings.compactMap {
                Suggestion.remaining($0.rule, found: $0.count, reason: $0.reason, rubric: rubric, entries: entries)
            }
            #expect(
                served.suggestions.filter { !$0.rule.hasPrefix("2.4") }.map { "\($0.rule)×\($0.count)" }
                    == offered.map { "\($0.rule)×\($0.count)" }, "\(comment)")
            return served
        }

        @Test func theFirstReadKeepsTheReadingAndTheNextReadsServeIt() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                #expect(try await Self.kept("branch-2", on: app) == nil)
                let first = try await Self.agrees("branch-2", as: "zhibu2", &api, "the first read")
                #expect(first.suggestions.map(\.rule).contains("2.10.a"))
                let kept = try #require(try await Self.kept("branch-2", on: app))

                // A reading planted at the current epochs is what the next read serves: it is not counted again.
                var planted = try JSONDecoder().decode(KeptSheetReading.Found.self, from: Data(kept.reading.utf8))
                planted.findings.append(.init(rule: "2.2.a", count: 7, reason: "planted"))
                kept.reading = String(decoding: try JSONEncoder().encode(planted), as: UTF8.self)
                try await kept.save(on: app.db)
                let served = try await api.call(.GET, "assessments/branch-2", as: "zhibu2").content.decode(
                    SheetJSON.self)
                #expect(served.suggestions.contains { $0.reason == "planted" }, "served as kept")

                // An office changes hands (any audited change but a sheet's or a ledger record's): every reading is
                // counted again, and the planted finding is gone.
                try await app.db.writeTransaction { db in
                    try await AuditLog.append(on: db, actor: "admin", action: .roleGrant, subject: .user("zhibu3"))
                }
                let after = try await Self.agrees("branch-2", as: "zhibu2", &api, "after an audited change")
                #expect(!after.suggestions.contains { $0.reason == "planted" })
            }
        }

        @Test func aRecordOfTheUnitOrOfItsGroupCountsItsReadingAgainAndNoOtherUnits() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                _ = try await Self.agrees("branch-2", as: "zhibu2", &api, "branch-2 first")
                _ = try await Self.agrees("branch-1", as: "zhibu1", &api, "branch-1 first")
                let otherBefore = try #require(try await Self.kept("branch-1", on: app))

                // 信息上报 recorded: the 2.10.a shortfall is no longer found.
                let info = [
                    "type": "infoReport", "date": "2026-09-18", "topic": "9 月支部工作简报",
                ]
                let recorded = try await api.call(
                    .POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: info)
                #expect(recorded.status == .created, "\(recorded.body.string)")
                let after = try await Self.agrees("branch-2", as: "zhibu2", &api, "after a record of the branch")
                #expect(!after.suggestions.map(\.rule).contains("2.10.a"))

                // A group's record moves its branch's epoch too.
                let epoch = try await LedgerEpoch.query(on: app.db).filter(\.$unitCode == "branch-2").first()?.epoch
                try await KeptLedgerYear.recount(["branch-2-group-1"], years: [2026], on: app.db)
                let moved = try await LedgerEpoch.query(on: app.db).filter(\.$unitCode == "branch-2").first()?.epoch
                #expect(moved == (epoch ?? 0) + 1)
                _ = try await Self.agrees("branch-2", as: "zhibu2", &api, "after a recount of its group")

                // Another branch's reading was not counted again.
                let otherAfter = try #require(try await Self.kept("branch-1", on: app))
                #expect(otherAfter.countedAt == otherBefore.countedAt && otherAfter.unitEpoch == otherBefore.unitEpoch)
                _ = try await Self.agrees("branch-1", as: "zhibu1", &api, "the other branch")
            }
        }

        @Test func theSheetsEntriesAreSetAgainstTheKeptReadingWithoutCountingIt() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let before = try await Self.agrees("branch-2", as: "zhibu2", &api, "before the entry")
                let suggested = try #require(before.suggestions.first { $0.rule == "2.10.a" })
                let keptBefore = try #require(try await Self.kept("branch-2", on: app))
                let added = try await api.call(
                    .POST, "assessments/branch-2/entries", as: "zhibu2",
                    json: ["rule": "2.10.a", "count": suggested.count, "note": "采纳建议"])
                #expect(added.status == .created, "\(added.body.string)")
                let after = try await Self.agrees("branch-2", as: "zhibu2", &api, "after the entry")
                #expect(!after.suggestions.map(\.rule).contains("2.10.a"))
                let keptAfter = try #require(try await Self.kept("branch-2", on: app))
                #expect(keptAfter.countedAt == keptBefore.countedAt, "the reading was not counted again")
            }
        }

        @Test func aFactOrAnotherDayCountsEveryReadingAgain() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                _ = try await Self.agrees("branch-2", as: "zhibu2", &api, "first")
                let bureau =
                    try await LedgerEpoch.query(on: app.db).filter(\.$unitCode == LedgerEpoch.bureau).first()?
                    .epoch ?? 0
                let fact = try await api.call(
                    .PUT, "/api/v1/units/branch-2/facts/2026", as: "zuzhi",
                    json: ["satisfaction": ["rate": "88.5", "day": "2026-09-20"]])
                #expect(fact.status == .ok, "\(fact.body.string)")
                let moved = try await LedgerEpoch.query(on: app.db).filter(\.$unitCode == LedgerEpoch.bureau).first()?
                    .epoch
                #expect(moved == bureau + 1, "an audited fact moves the bureau's epoch")
                _ = try await Self.agrees("branch-2", as: "zhibu2", &api, "after a fact")

                // A reading kept as of another day is not served today.
                let kept = try #require(try await Self.kept("branch-2", on: app))
                var planted = try JSONDecoder().decode(KeptSheetReading.Found.self, from: Data(kept.reading.utf8))
                planted.findings.append(.init(rule: "2.2.a", count: 9, reason: "planted"))
                kept.asOf = "2026-09-01"
                kept.reading = String(decoding: try JSONEncoder().encode(planted), as: UTF8.self)
                try await kept.save(on: app.db)
                let today = try await Self.agrees("branch-2", as: "zhibu2", &api, "a reading of another day")
                #expect(!today.suggestions.contains { $0.reason == "planted" })
            }
        }

        @Test func 台账对照KeepsTheReadingsOfItsPageAndTheSheetAddsItsFacts() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                struct UnitLines: Decodable {
                    struct Line: Decodable { let activity: String; let recorded: Int }
                    let unit: String
                    let requirements: [Line]
                }
                func infoReports() async throws -> Int {
                    let page = try await api.call(
                        .GET, "/api/v1/compliance?period=2026Q3&unit=branch-2", as: "zuzhi")
                    #expect(page.status == .ok, "\(page.body.string)")
                    let units = try page.content.decode([UnitLines].self)
                    return units.first?.requirements.filter { $0.activity == "infoReport" }.map(\.recorded)
                        .reduce(0, +) ?? -1
                }
                let before = try await infoReports()
                let kept = try #require(try await Self.kept("branch-2", on: app), "台账对照 kept the unit's reading")
                let found = try JSONDecoder().decode(KeptSheetReading.Found.self, from: Data(kept.reading.utf8))
                #expect(found.facts == nil, "台账对照 does not count the yearly facts")

                // The sheet reads the same kept reading and adds the facts to it.
                _ = try await Self.agrees("branch-2", as: "zhibu2", &api, "the sheet after 台账对照")
                let withFacts = try #require(try await Self.kept("branch-2", on: app))
                #expect(
                    try JSONDecoder().decode(KeptSheetReading.Found.self, from: Data(withFacts.reading.utf8)).facts
                        != nil)

                // A record moves the unit's epoch: 台账对照 counts it again.
                let recorded = try await api.call(
                    .POST, "/api/v1/units/branch-2/activities", as: "zhibu2",
                    json: ["type": "infoReport", "date": "2026-09-18", "topic": "9 月支部工作简报"])
                #expect(recorded.status == .created, "\(recorded.body.string)")
                #expect(try await infoReports() == before + 1)
                _ = try await Self.agrees("branch-2", as: "zhibu2", &api, "the sheet after the record")
            }
        }
    }
}
