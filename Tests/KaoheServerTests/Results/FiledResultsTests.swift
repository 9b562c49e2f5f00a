import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 29: a group's or member's filed (备案) result is a row of its own. Filing one sheet writes that row only,
    /// and a page of the level reads its rows and counts their ranks — equal to the ranks of the whole level.
    @Suite struct FiledResultsTests {
        static let shape = BureauShape(branches: 3, groupsPerBranch: 2, membersPerGroup: 3)

        static func generated(_ test: (Application) async throws -> Void) async throws {
            try await withKaohe { app in
                _ = try await SyntheticBureau(shape: shape, progress: { _ in }).generate(on: app)
                try await test(app)
            }
        }

        static func period(_ code: String, on db: any Database) async throws -> Period {
            try #require(try await Period.query(on: db).filter(\.$code == code).first())
        }

        /// The ranking rule itself (KaoheCore's `Standings`) over every row of the level.
        static func rankedWhole(_ period: Period, on db: any Database) async throws -> [Results.Row] {
            let rows = try await FiledResults.rows(of: period, level: .member, on: db)
            return Standings.ranked(rows, total: \.total, unit: \.unit).map { $1.ranked($0) }
        }

        @Test func everyPageIsRankedAsTheWholeLevelIsEvenAcrossATie() async throws {
            try await Self.generated { app in
                let period = try await Self.period("2026Q2", on: app.db)
                // Two neighbours made equal, so that a tie falls across the boundary of two pages of five.
                let ordered = try await FiledResult.query(on: app.db).filter(\.$period.$id == period.requireID())
                    .filter(\.$level == .member).sort(\.$standing, .descending).sort(\.$unitCode).all()
                #expect(ordered.count == 18)
                var tied = try ordered[5].decoded(rank: 0)
                tied = Results.Row(
                    unit: tied.unit, name: tied.name, total: try ordered[4].decoded(rank: 0).total, bonus: tied.bonus,
                    grade: tied.grade, gradeLabel: tied.gradeLabel, rank: 0, vetoed: tied.vetoed,
                    reviewing: tied.reviewing, categories: tied.categories)
                try ordered[5].keep(tied)
                try await ordered[5].save(on: app.db)

                let whole = try await Self.rankedWhole(period, on: app.db)
                #expect(whole[4].rank == whole[5].rank, "the tie")
                for offset in stride(from: 0, to: 20, by: 5) {
                    let page = try await FiledResults.page(
                        of: period, level: .member, scope: nil, limit: 5, offset: offset, on: app.db)
                    #expect(try await FiledResults.count(of: period, level: .member, scope: nil, on: app.db) == 18)
                    #expect(page == Array(whole[min(offset, 18)..<min(offset + 5, 18)]), "offset \(offset)")
                }
                #expect(try await FiledResults.rows(of: period, level: .member, on: app.db) == whole)
            }
        }

        @Test func aSecretaryPagesTheirOwnMembersRankedAmongTheWholeLevel() async throws {
            try await Self.generated { app in
                var api = QuarterAPI(app)
                api.period = "2026Q2"
                let whole = try await Self.rankedWhole(try await Self.period("2026Q2", on: app.db), on: app.db)
                let own = whole.filter { $0.unit.hasPrefix("branch-2-") }
                let first = try await api.call(.GET, "results?level=member&limit=4", as: "zhibu-2")
                #expect(first.status == .ok, "\(first.body.string)")
                #expect(try first.content.decode([Results.Row].self) == Array(own.prefix(4)))
                let rest = try await api.call(.GET, "results?level=member&limit=4&offset=4", as: "zhibu-2")
                #expect(try rest.content.decode([Results.Row].self) == Array(own.dropFirst(4)))
                let all = try await api.call(.GET, "results?level=member&offset=3", as: "zuzhi")
                #expect(try all.content.decode([Results.Row].self) == Array(whole.dropFirst(3)))

                let page = try await Browser.signedIn(app, "zhibu-2", on: "/periods/2026Q2/results?level=member")
                let html = try await page.get("/periods/2026Q2/results?level=member&q=branch-2-group-2").body.string
                #expect(html.contains("branch-2-group-2-member-1") && !html.contains("branch-2-group-1-member-1"))
                #expect(!html.contains("branch-1-group-1-member-1"), "another branch's members are not theirs to read")
            }
        }

        /// Filing a group's sheet writes that group's row; the rows filed before it stay as they were.
        @Test func filingOneSheetWritesItsOwnRowOnly() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                func file(_ group: String, leader: String) async throws {
                    if leader != "zuzhi" { try await api.act("submit", on: group, as: leader) }
                    try await api.act("forward", on: group, as: "zhibu1")
                    for action in ["review", "approve", "publish"] {
                        #expect(try await api.act(action, on: group, as: "zhibu1").status == .ok, "\(group) \(action)")
                    }
                }
                try await file("branch-1-group-1", leader: "xiaozu1")
                let before = try await FiledResult.query(on: app.db).all()
                #expect(before.map(\.unitCode) == ["branch-1-group-1"])
                // The demo's second group has no leader of its own: 陈小组 leads it too for this test.
                let leader = try #require(try await User.query(on: app.db).filter(\.$username == "xiaozu1").first())
                try await RoleGrant(userID: leader.requireID(), role: .groupLeader, unitCode: "branch-1-group-2")
                    .create(on: app.db)
                try await file("branch-1-group-2", leader: "xiaozu1")
                let after = try await FiledResult.query(on: app.db).all()
                #expect(after.count == 2)
                #expect(after.first { $0.id == before[0].id }?.row == before[0].row, "the first row untouched")
            }
        }
    }
}
