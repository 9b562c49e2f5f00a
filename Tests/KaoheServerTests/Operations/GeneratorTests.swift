import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 12: `kaohe generate` (contracts/api.md "Operations"), the synthetic bureau the benchmarks run on.
    @Suite struct GeneratorTests {
        static let shape = BureauShape(branches: 3, groupsPerBranch: 2, membersPerGroup: 2)
        /// 3 branches, 6 groups, 12 members: the sheets of one quarter.
        static let sheetsPerQuarter = 21

        static func generated(_ test: (Application) async throws -> Void) async throws {
            try await withKaohe { app in
                _ = try await SyntheticBureau(shape: shape, progress: { _ in }).generate(on: app)
                try await test(app)
            }
        }

        @Test func theTreeHasTheDemosCodesAndEveryBranchItsSecretary() async throws {
            try await Self.generated { app in
                let codes = Set(try await KaoheServer.Unit.query(on: app.db).all().map(\.code))
                #expect(codes.count == 1 + Self.sheetsPerQuarter)
                #expect(codes.isSuperset(of: ["general", "branch-3", "branch-3-group-2", "branch-3-group-2-member-2"]))
                var api = QuarterAPI(app)
                try await api.call(.GET, "/api/v1/me", as: "zhibu-2") { res in
                    #expect(res.status == .ok)
                    #expect(res.body.string.contains(#""unit":"branch-2""#))
                }
                for user in ["zuzhi", "kaohe1", "shuji"] {
                    _ = try await api.token(user)
                }
            }
        }

        /// Issue 28: a year of moves, so that the benchmarks read rosters that differ from month to month; each group
        /// meeting's attendees are its roster of that day.
        @Test func aYearOfMovesMakesTheRostersDifferMonthToMonth() async throws {
            try await Self.generated { app in
                let mover = "branch-1-group-1-member-1"
                let group = try #require(
                    try await KaoheServer.Unit.query(on: app.db).filter(\.$code == "branch-1-group-1").first())
                let rosters = try await Ledger.rosters(of: group, on: app.db)
                #expect(rosters.on(CalendarDay("2026-01-15")!)["branch-1-group-1"]?.contains(mover) == true)
                #expect(rosters.on(CalendarDay("2026-03-01")!)["branch-1-group-1"]?.contains(mover) != true)
                #expect(try await Membership.query(on: app.db).count() == 2 * 6, "each group's first member moved once")
                let meetings = try await Activity.query(on: app.db).filter(\.$unitCode == "branch-1-group-1")
                    .filter(\.$type == .groupMeeting).sort(\.$date).all()
                #expect(Activity.codes(meetings[0].attendees).contains(mover))
                #expect(!Activity.codes(meetings[2].attendees).contains(mover))
                let next = try await Activity.query(on: app.db).filter(\.$unitCode == "branch-1-group-2")
                    .filter(\.$type == .groupMeeting).sort(\.$date).all()
                #expect(
                    !Activity.codes(next[0].attendees).contains(mover)
                        && Activity.codes(next[2].attendees).contains(mover))
            }
        }

        @Test func threeQuartersArePublishedAndTheFourthIsOpen() async throws {
            try await Self.generated { app in
                var api = QuarterAPI(app)
                try await api.call(.GET, "/api/v1/periods", as: "zuzhi") { res in
                    let periods = try res.content.decode([SheetsAPIController.PeriodDTO].self)
                    #expect(periods.map(\.id).sorted() == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"])
                    #expect(periods.filter { $0.state == "published" }.count == 3)
                }
                api.period = "2026Q2"
                try await api.call(.GET, "results", as: "zhibu-1") { res in
                    let rows = try res.content.decode([Results.Row].self)
                    #expect(rows.map(\.unit).sorted() == ["branch-1", "branch-2", "branch-3"])
                }
                api.period = "2026Q4"
                #expect(try await api.sheet("branch-1", as: "zhibu-1").state == "draft")
                try await api.call(.GET, "results", as: "zuzhi") { res in #expect(res.status == .notFound) }
            }
        }

        /// As a publication does, the generator keeps each published quarter's rows at every level: a board of a
        /// thousand branches must never compute them under its first readers' load.
        @Test func eachPublishedQuartersResultsAreStoredAtEveryLevel() async throws {
            try await Self.generated { app in
                let stored = try await StoredResults.query(on: app.db).with(\.$period).all()
                let filed = try await FiledResult.query(on: app.db).with(\.$period).all()
                #expect(
                    Set(stored.map { "\($0.period.code) \($0.level)" } + filed.map { "\($0.period.code) \($0.level)" })
                        == Set(
                            ["2026Q1", "2026Q2", "2026Q3"].flatMap { code in
                                ["branch", "group", "member"].map { "\(code) \($0)" }
                            }))
            }
        }

        /// Every published sheet scores now as its snapshot says: the entries are valid and KaoheCore scored them.
        @Test func everyPublishedScoreIsTheEnginesScoreOfItsEntries() async throws {
            try await Self.generated { app in
                let sheets = try await Sheet.query(on: app.db).filter(\.$publishedScore != nil).with(\.$rubric).all()
                #expect(sheets.count == 3 * Self.sheetsPerQuarter)
                var entries = 0
                for sheet in sheets {
                    let rows = try await sheet.entries(on: app.db).all()
                    entries += rows.count
                    let now = UnitReport(
                        try Sheets.score(sheet, entries: rows, rubric: RubricStore.rubric(of: sheet.rubric)))
                    #expect(try await Sheets.publishedReport(of: sheet, on: app.db) == now)
                }
                #expect(entries > 0)
                #expect(try await Activity.query(on: app.db).count() > 0)
            }
        }

        @Test func theAuditChainHoldsAndSaysWhatWasGenerated() async throws {
            try await Self.generated { app in
                let verification = try await AuditLog.verify(on: app.db)
                #expect(verification.firstBreak == nil)
                #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "bureau.generate").count() == 1)
            }
        }

        @Test func aDatabaseThatHoldsABureauIsRefused() async throws {
            try await Self.generated { app in
                await #expect(throws: SettingsError.self) {
                    _ = try await SyntheticBureau(shape: Self.shape, progress: { _ in }).generate(on: app)
                }
            }
        }
    }
}
