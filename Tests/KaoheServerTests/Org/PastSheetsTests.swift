import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Nothing is deleted and nothing moves backwards: a member's sheet of a quarter stays with the group and branch
    /// they were in then. After a move to another branch the old branch still reads (and its group still assesses)
    /// the past sheet, the new branch does not; the next quarter's sheet is the new branch's.
    @Suite struct PastSheetsTests {
        static let member = "branch-1-group-1-member-1"

        @Test func aMovedMembersPastSheetIsReadByTheBranchTheyWereInThen() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let moved = try await MembershipTests.change(
                    &api, ["action": "move", "to": "branch-2-group-1", "date": "2026-11-01"], member: Self.member)
                #expect(moved.status == .ok, "\(moved.body.string)")

                let sheet = "assessments/\(Self.member)"
                #expect(try await api.call(.GET, sheet, as: "zhibu1").status == .ok, "the branch of the time")
                #expect(try await api.call(.GET, sheet, as: "xiaozu1").status == .ok, "the group of the time")
                #expect(try await api.call(.GET, sheet, as: "zhibu2").status == .notFound, "not the new branch")

                // The fourth quarter: 31 days in the old group, 61 in the new one.
                #expect(
                    try await api.call(.POST, "/api/v1/periods", as: "zuzhi", json: ["quarter": "2026Q4"]).status
                        == .created)
                api.period = "2026Q4"
                #expect(try await api.call(.GET, sheet, as: "zhibu2").status == .ok)
                #expect(try await api.call(.GET, sheet, as: "zhibu1").status == .notFound)

                // The old branch's board of the third quarter still lists it.
                let browser = try await Browser.signedIn(app, "zhibu1", on: "/periods/2026Q3")
                let board = try await browser.get("/periods/2026Q3")
                #expect(board.body.string.contains("/periods/2026Q3/sheets/\(Self.member)"))
                let other = try await Browser.signedIn(app, "zhibu2", on: "/periods/2026Q3")
                #expect(!(try await other.get("/periods/2026Q3")).body.string.contains("sheets/\(Self.member)\""))
            }
        }
    }
}
