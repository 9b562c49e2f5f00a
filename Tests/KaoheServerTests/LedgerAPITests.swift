import Fluent
import Foundation
import Testing
import VaporTesting
@testable import KaoheServer

extension ServerTests {
    /// 活动台账 (api.md `…/units/{unit}/activities`) and the deductions its records imply on the sheet (细则 2.1).
    @Suite struct LedgerAPITests {
        struct Record: Content { let id: UUID; let unit: String; let type: String; let date: String; let topic: String
                                 let attendees: [String]; let absent: [String]; let createdBy: String }

        static var meeting: [String: Any] { ["type": "committeeMeeting", "date": "2026-09-08", "topic": "研究第三季度考核自查",
                                             "attendees": ["王二", "褚立"], "absent": ["卫平"]] }

        @Test func theSecretaryRecordsAMeetingWhichTheUnitAndThoseAboveRead() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let created = try await api.call(.POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: Self.meeting)
                #expect(created.status == .created)
                let record = try created.content.decode(Record.self)
                #expect(record.unit == "branch-2" && record.type == "committeeMeeting" && record.createdBy == "zhibu2")
                #expect(record.attendees == ["王二", "褚立"] && record.absent == ["卫平"])

                for reader in ["zhibu2", "zuzhi", "shuji"] {
                    let list = try await api.call(.GET, "/api/v1/units/branch-2/activities?year=2026", as: reader)
                    #expect(list.status == .ok, "\(reader)")
                    #expect(try list.content.decode([Record].self).map(\.id) == [record.id], "\(reader)")
                }
                let otherYear = try await api.call(.GET, "/api/v1/units/branch-2/activities?year=2025", as: "zhibu2")
                #expect(try otherYear.content.decode([Record].self).isEmpty)
                let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "activity.record")
                    .filter(\.$subject == "unit:branch-2").count()
                #expect(audited == 1)
            }
        }

        @Test func onlyTheUnitsOwnSecretaryOrGroupLeaderRecords() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                func status(_ method: HTTPMethod, _ unit: String, as user: String, json: [String: Any]? = nil) async throws -> HTTPStatus {
                    try await api.call(method, "/api/v1/units/\(unit)/activities", as: user, json: json).status
                }
                var groupMeeting = Self.meeting
                groupMeeting["type"] = "groupMeeting"
                let refusals = [
                    // A sibling branch sees nothing of another; the bureau reads a branch's ledger but does not write it;
                    // a group leader writes his group's, not the branch's.
                    try await status(.GET, "branch-2", as: "zhibu1"),
                    try await status(.POST, "branch-2", as: "zhibu1", json: Self.meeting),
                    try await status(.POST, "branch-2", as: "zuzhi", json: Self.meeting),
                    try await status(.POST, "branch-1", as: "xiaozu1", json: groupMeeting),
                ]
                #expect(refusals == [.forbidden, .forbidden, .forbidden, .forbidden])
                let recorded = try await status(.POST, "branch-1-group-1", as: "xiaozu1", json: groupMeeting)
                #expect(recorded == .created)
                let unknown = try await status(.GET, "nowhere", as: "zuzhi")
                #expect(unknown == .notFound)
            }
        }

        @Test func aBadRecordIsRefusedNamingTheField() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let cases: [(String, Any, String)] = [
                    ("type", "picnic", "type"), ("date", "2026-9-8", "date"), ("date", "2999-01-01", "date"),
                    ("topic", "  ", "topic"), ("attendees", [String(repeating: "名", count: 51)], "attendees"),
                ]
                for (field, value, named) in cases {
                    var body = Self.meeting
                    body[field] = value
                    let refused = try await api.call(.POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: body)
                    #expect(refused.status == .unprocessableEntity, "\(field)")
                    #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix(named + ":"), "\(field)")
                }
                let badYear = try await api.call(.GET, "/api/v1/units/branch-2/activities?year=twenty", as: "zhibu2")
                #expect(badYear.status == .unprocessableEntity)
                let kept = try await Activity.query(on: app.db).filter(\.$unitCode == "branch-2").count()
                #expect(kept == 0, "nothing refused is kept")
            }
        }

        @Test func 二一_theLedgersShortfallIsSuggestedOnTheSheetUntilEntered() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                // The demo's 第三支部 held two 支委会 in the third quarter, where twelve a year make three.
                let suggested = try await api.sheet("branch-3").suggestions
                #expect(suggested.map(\.rule) == ["2.1.a"] && suggested.first?.count == 1)
                #expect(suggested.first?.reason.contains("支委会本季度 2 次，应不少于 3 次") == true)
                // A third meeting recorded, the suggestion goes.
                var third = Self.meeting
                third["date"] = "2026-09-02"
                try await api.call(.POST, "/api/v1/units/branch-3/activities", as: "zhibu3", json: third)
                let afterThird = try await api.sheet("branch-3").suggestions
                #expect(afterThird.isEmpty)
                // 第一支部 held none, and its secretary already entered 2.1.a × 3: nothing more to suggest.
                let first = try await api.sheet("branch-1").suggestions
                #expect(first.filter { $0.rule == "2.1.a" }.isEmpty)
                // A branch that keeps no ledger in Kaohe is offered nothing from it.
                let fourth = try await api.sheet("branch-4").suggestions
                #expect(fourth.isEmpty)
            }
        }

        @Test func aMistakenRecordIsWithdrawnWithItsReasonAndCountsNoMore() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                var third = Self.meeting
                third["date"] = "2026-09-02"
                let record = try await api.call(.POST, "/api/v1/units/branch-3/activities", as: "zhibu3", json: third)
                    .content.decode(Record.self)
                let suggestedBefore = try await api.sheet("branch-3").suggestions
                #expect(suggestedBefore.isEmpty, "three 支委会 recorded")

                let path = "/api/v1/units/branch-3/activities/\(record.id)"
                let bare = try await api.call(.DELETE, path, as: "zhibu3")
                #expect(bare.status == .unprocessableEntity)
                #expect(try bare.content.decode(ErrorBody.self).reason.hasPrefix("reason:"))
                let elsewhere = try await api.call(.DELETE, "/api/v1/units/branch-2/activities/\(record.id)?reason=x", as: "zhibu2")
                #expect(elsewhere.status == .notFound, "a record is withdrawn only through its own unit")
                let withdrawn = try await api.call(.DELETE, path + "?reason=%E6%97%A5%E6%9C%9F%E8%AE%B0%E9%94%99", as: "zhibu3")
                #expect(withdrawn.status == .noContent)
                let again = try await api.call(.DELETE, path + "?reason=x", as: "zhibu3")
                #expect(again.status == .notFound)

                let listed = try await api.call(.GET, "/api/v1/units/branch-3/activities", as: "zhibu3").content.decode([Record].self)
                #expect(!listed.contains { $0.id == record.id }, "what was withdrawn is not what the unit held")
                let kept = try await Activity.find(record.id, on: app.db)
                #expect(kept?.withdrawn == true && kept?.withdrawnReason == "日期记错" && kept?.withdrawnBy == "zhibu3")
                let suggestedAfter = try await api.sheet("branch-3").suggestions
                #expect(suggestedAfter.map(\.rule) == ["2.1.a"], "two 支委会 again")
                let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "activity.withdraw").count()
                #expect(audited == 1)
            }
        }

        @Test func anAcceptedSuggestionCountsAsEntered() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let suggestion = try #require(try await api.sheet("branch-3").suggestions.first)
                let added = try await api.call(.POST, "assessments/branch-3/entries", as: "zhibu3",
                                               json: ["rule": suggestion.rule, "count": suggestion.count, "note": suggestion.reason])
                #expect(added.status == .created)
                let left = try await api.sheet("branch-3").suggestions
                #expect(left.isEmpty)
            }
        }
    }
}
