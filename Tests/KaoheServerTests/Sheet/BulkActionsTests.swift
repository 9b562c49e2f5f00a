import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 办法 四 for groups and members in bulk: the branch secretary files the branch's group sheets in one request,
    /// each sheet answering for itself.
    @Suite struct BulkActionsTests {
        struct Outcome: Content, Equatable {
            let unit: String; let status: Int; let state: String?; let reason: String?
        }

        static let opinion = "党小组组织生活正常，按细则考核。"

        static func file(
            _ api: inout QuarterAPI, _ lines: [(String, Int)], as user: String, opinion: String? = opinion
        ) async throws -> TestingHTTPResponse {
            var body: [String: Any] = ["sheets": lines.map { ["unit": $0.0, "version": $0.1] }]
            if let opinion { body["opinion"] = opinion }
            return try await api.call(.POST, "assessments/actions/file", as: user, json: body)
        }

        @Test func 四_theBranchSecretaryFilesTheGroupsInOneStepAndEachSheetAnswersForItself() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let group1 = "branch-1-group-1", group2 = "branch-1-group-2", elsewhere = "branch-2-group-1"
                try await api.act("submit", on: group1, as: "xiaozu1")
                let reported = try await api.sheet(group1).version

                // Stale: the version the secretary saw before the report is refused by name, nothing moves.
                let stale = try await Self.file(&api, [(group1, reported - 1)], as: "zhibu1")
                #expect(stale.status == .ok)
                let staleOutcome = try stale.content.decode([Outcome].self)
                #expect(staleOutcome.first?.status == 409 && staleOutcome.first?.state == "submitted")
                #expect(staleOutcome.first?.reason?.contains("已被他人修改") == true)

                let response = try await Self.file(
                    &api, [(group1, reported), (group2, try await api.sheet(group2).version), (elsewhere, 1)],
                    as: "zhibu1")
                #expect(response.status == .ok, "\(response.body.string)")
                let outcomes = try response.content.decode([Outcome].self)
                #expect(outcomes.map(\.unit) == [group1, group2, elsewhere], "one result a sheet, in order")
                #expect(outcomes[0] == Outcome(unit: group1, status: 200, state: "published", reason: nil))
                #expect(outcomes[1].status == 409 && outcomes[1].state == "draft", "not reported, not filed")
                #expect(outcomes[2].status == 404 && outcomes[2].state == nil, "another branch's sheet is not there")

                // Filed: 转交, 考核完毕 with the opinion, 审核确定 and 公布, each in the log under the secretary's name.
                let sheet = try await api.sheet(group1)
                #expect(sheet.state == "published")
                let steps = try await AuditEvent.query(on: app.db).filter(\.$subject == "sheet:2026Q3/\(group1)")
                    .sort(\.$seq).all().map { "\($0.action) \($0.actor)" }
                #expect(
                    steps.suffix(4)
                        == [
                            "sheet.forward zhibu1", "sheet.review zhibu1", "sheet.approve zhibu1",
                            "sheet.publish zhibu1",
                        ])
                let stored = try #require(try await Sheet.query(on: app.db).filter(\.$unitCode == group1).first())
                #expect(stored.opinion == Self.opinion)

                // Taken twice: the filed sheet is refused, not moved again.
                let again = try await Self.file(&api, [(group1, sheet.version)], as: "zhibu1")
                #expect(try again.content.decode([Outcome].self).first?.status == 409)
            }
        }

        /// The demo's first start moves the branches' deadlines a week ahead; the groups' and members' days of the
        /// rubric had passed by then, and move with them instead of reading 已逾期 from the first day.
        @Test func 四_aLowerLevelsDayPassedBeforeTheQuarterOpenedIsTheBranchs() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
                for unit in ["branch-1-group-1", "branch-1-group-1-member-1"] {
                    let sheet = try #require(try await Sheet.query(on: app.db).filter(\.$unitCode == unit).first())
                    let rubric = try await RubricStore.rubric(id: sheet.$rubric.id, on: app.db)
                    let own = rubric.schedule.selfReportDeadline(for: try #require(Quarter(code: "2026Q3")))
                    let day = try #require(SheetDeadlines.selfReport(sheet, rubric: rubric, period: period))
                    #expect(own < BureauCalendar.today(), "the rubric's day had passed (\(own))")
                    #expect(day == CalendarDay(period.selfDeadline) && day > BureauCalendar.today(), "\(unit)")
                    let panel = try #require(SheetDeadlines.panelReview(sheet, rubric: rubric, period: period))
                    #expect(panel == CalendarDay(period.panelDeadline))
                }
            }
        }

        @Test func 四_aBadRequestIsRefusedWholeNamingTheField() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let cases: [([String: Any], String)] = [
                    (["sheets": [], "opinion": Self.opinion], "sheets"),
                    (
                        [
                            "sheets": [["unit": "a", "version": 1], ["unit": "a", "version": 1]],
                            "opinion": Self.opinion,
                        ], "sheets[1].unit"
                    ),
                    (
                        ["sheets": (0...500).map { ["unit": "u\($0)", "version": 1] }, "opinion": Self.opinion],
                        "sheets"
                    ),
                    (["sheets": [["unit": "branch-1-group-1", "version": 1]]], "opinion"),
                ]
                for (body, field) in cases {
                    let refused = try await api.call(.POST, "assessments/actions/file", as: "zhibu1", json: body)
                    #expect(refused.status == .unprocessableEntity, "\(field): \(refused.body.string)")
                    #expect(refused.body.string.contains(field))
                }
                #expect(
                    try await api.call(.POST, "assessments/actions/dance", as: "zhibu1", json: ["sheets": []]).status
                        == .notFound)
                // A member of the group cannot file; its own sheet answers 403 by name.
                try await api.act("submit", on: "branch-1-group-1", as: "xiaozu1")
                let version = try await api.sheet("branch-1-group-1").version
                let forbidden = try await Self.file(&api, [("branch-1-group-1", version)], as: "xiaozu1")
                let outcome = try #require(try forbidden.content.decode([Outcome].self).first)
                #expect(outcome.status == 403 && outcome.state == "submitted", "\(outcome)")
                // Branches are published by the organizer, never filed.
                let branch = try await Self.file(
                    &api, [("branch-1", try await api.sheet("branch-1").version)], as: "zuzhi")
                #expect(try branch.content.decode([Outcome].self).first?.status == 409)
            }
        }

        @Test func 四_oneStepOnManySheetsIsEachSheetsOwnStep() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for unit in ["branch-1", "branch-2"] {
                    try await api.act("submit", on: unit, as: "zhibu" + unit.suffix(1))
                }
                let lines = try await [
                    ("branch-1", api.sheet("branch-1").version), ("branch-2", api.sheet("branch-2").version),
                    ("branch-3", api.sheet("branch-3").version),
                ]
                let response = try await api.call(
                    .POST, "assessments/actions/forward", as: "zuzhi",
                    json: ["sheets": lines.map { ["unit": $0.0, "version": $0.1] }])
                let outcomes = try response.content.decode([Outcome].self)
                #expect(outcomes.map(\.status) == [200, 200, 409], "\(outcomes)")
                #expect(outcomes[2].reason?.contains("截止日") == true, "a draft before its deadline waits")
            }
        }
    }
}
