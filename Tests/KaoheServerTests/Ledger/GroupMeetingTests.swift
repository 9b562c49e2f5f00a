import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 细则 1.2 / 2.1: a 党小组会 is a group's. Recorded on the branch's ledger it names its group and counts for
    /// that group alone; before, one meeting recorded at branch level counted for every group.
    @Suite struct GroupMeetingTests {
        static func meeting(group: String? = nil, type: String = "groupMeeting") -> [String: Any] {
            var body: [String: Any] = ["type": type, "date": "2026-09-20", "topic": "党小组集中学习", "attendees": []]
            if let group { body["group"] = group }
            return body
        }

        @Test func aBranchsGroupMeetingNamesOneOfItsGroups() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let path = "/api/v1/units/branch-1/activities"
                for (body, why) in [
                    (Self.meeting(), "a group meeting with no group"),
                    (Self.meeting(group: "branch-2-group-1"), "another branch's group"),
                    (Self.meeting(group: "branch-1-group-1", type: "committeeMeeting"), "a 支委会 is the branch's"),
                ] {
                    let res = try await api.call(.POST, path, as: "zhibu1", json: body)
                    #expect(res.status == .unprocessableEntity, "\(why)")
                    #expect(res.body.string.contains("group"), "\(why): \(res.body.string)")
                }
                let kept = try await api.call(.POST, path, as: "zhibu1", json: Self.meeting(group: "branch-1-group-1"))
                #expect(kept.status == .created)
                #expect(kept.body.string.contains("\"group\":\"branch-1-group-1\""))
                // A group's own ledger names no group: it is the group.
                let own = try await api.call(
                    .POST, "/api/v1/units/branch-1-group-1/activities", as: "xiaozu1",
                    json: Self.meeting(group: "branch-1-group-2"))
                #expect(own.status == .unprocessableEntity)
            }
        }

        @Test func aGroupMeetingCountsForItsGroupAlone() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                func held(_ group: String) async throws -> Int {
                    let book = try await LedgerBook.read(for: "branch-1", year: 2026, on: app.db)
                    return book.groups.first { $0.code == group }?.held[.groupMeeting]?.count ?? 0
                }
                let (first, second) = (try await held("branch-1-group-1"), try await held("branch-1-group-2"))
                let res = try await api.call(
                    .POST, "/api/v1/units/branch-1/activities", as: "zhibu1",
                    json: Self.meeting(group: "branch-1-group-1"))
                #expect(res.status == .created)
                #expect(try await held("branch-1-group-1") == first + 1)
                #expect(try await held("branch-1-group-2") == second, "another group's count is its own")
            }
        }

        @Test func theBranchsFormOffersTheGroupAndKeepsItOnARefusal() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(app, "zhibu1", on: "/units/branch-1/ledger")
                let page = try await secretary.get("/units/branch-1/ledger").body.string
                #expect(page.contains("name=\"group\""))
                #expect(page.contains("value=\"branch-1-group-2\""))
                let refused = try await secretary.post(
                    "/units/branch-1/ledger",
                    form: ["type": "groupMeeting", "date": "2026-09-20", "topic": "党小组集中学习", "group": ""])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("党小组会须注明是哪个党小组开的"))
                #expect(refused.body.string.contains("党小组集中学习"), "the topic typed is still there")
                let kept = try await secretary.post(
                    "/units/branch-1/ledger",
                    form: [
                        "type": "groupMeeting", "date": "2026-09-20", "topic": "党小组集中学习", "group": "branch-1-group-2",
                    ])
                #expect(kept.status == .seeOther)
                let group = try await secretary.get("/units/branch-1/ledger").body.string
                #expect(group.contains("第二党小组"), "the record shows the group that held it")
            }
        }
    }
}
