import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 28, the organisation over time: a member's 组织关系 has dates. A move, a 转出 or a removal ends one
    /// stretch and may begin another; nothing is deleted, and the roster of a past day is the roster of that day.
    @Suite struct MembershipTests {
        static let member = "branch-1-group-1-member-3"

        struct Stretch: Decodable {
            let unit: String
            let from: String?
            let to: String?
            let action: String
            let ended: String?
            let note: String?
        }
        struct History: Decodable {
            let memberships: [Stretch]
        }
        struct Member: Decodable {
            let code: String
            let group: String
        }

        static func change(
            _ api: inout QuarterAPI, _ body: [String: Any], member: String = member, as user: String = "zuzhi"
        ) async throws -> TestingHTTPResponse {
            try await api.call(.POST, "/api/v1/units/\(member)/membership", as: user, json: body)
        }

        static func roster(_ api: inout QuarterAPI, _ unit: String, on day: String? = nil) async throws -> [String] {
            let query = day.map { "?on=\($0)" } ?? ""
            let response = try await api.call(.GET, "/api/v1/units/\(unit)/members\(query)", as: "zuzhi")
            #expect(response.status == .ok, "\(response.body.string)")
            return try response.content.decode([Member].self).map(\.code)
        }

        @Test func aMoveEndsOneStretchAndBeginsTheNextAndEachDayReadsItsOwnRoster() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let moved = try await Self.change(
                    &api, ["action": "move", "to": "branch-1-group-2", "date": "2026-08-01"])
                #expect(moved.status == .ok, "\(moved.body.string)")
                let history = try moved.content.decode(History.self).memberships
                #expect(history.map(\.unit) == ["branch-1-group-1", "branch-1-group-2"])
                #expect(history[0].from == nil && history[0].to == "2026-07-31" && history[0].ended == "move")
                #expect(history[1].from == "2026-08-01" && history[1].to == nil && history[1].action == "move")

                #expect(try await Self.roster(&api, "branch-1-group-1", on: "2026-07-31").contains(Self.member))
                #expect(!(try await Self.roster(&api, "branch-1-group-1", on: "2026-08-01").contains(Self.member)))
                #expect(try await Self.roster(&api, "branch-1-group-2", on: "2026-08-01").contains(Self.member))
                #expect(!(try await Self.roster(&api, "branch-1-group-1").contains(Self.member)), "today's roster")
                #expect(try await Self.roster(&api, "branch-1-group-2").contains(Self.member))
                #expect(
                    try await Self.roster(&api, "branch-1", on: "2026-07-01").count == 6, "the branch keeps its six")

                let event = try #require(try await AuditEvent.query(on: app.db).sort(\.$seq, .descending).first())
                #expect(event.action == "membership.change" && event.subject == "unit:\(Self.member)")
                let read = try await api.call(.GET, "/api/v1/units/\(Self.member)/history", as: "zhibu1")
                #expect(read.status == .ok)
                #expect(try read.content.decode(History.self).memberships.count == 2)
            }
        }

        @Test func aTransferOutLeavesTheRosterAndKeepsTheHistoryAndThePastSheets() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let out = try await Self.change(
                    &api, ["action": "transferOut", "date": "2026-11-01", "destination": "市财政局机关第二党支部"])
                #expect(out.status == .ok, "\(out.body.string)")
                let last = try #require(try out.content.decode(History.self).memberships.last)
                #expect(last.ended == "transferOut" && last.to == "2026-10-31" && last.note == "市财政局机关第二党支部")
                #expect(!(try await Self.roster(&api, "branch-1").contains(Self.member)))
                #expect(try await Self.roster(&api, "branch-1", on: "2026-10-31").contains(Self.member))
                // The ledger's forms offer today's roster; the member's Q3 sheet stays where it was.
                let ledger = try await Ledger.members(of: "branch-1-group-1", on: app.db).map(\.code)
                #expect(!ledger.contains(Self.member))
                #expect(try await api.call(.GET, "assessments/\(Self.member)", as: "zhibu1").status == .ok)
                // Gone is gone: a second change is refused, and nothing was deleted.
                let again = try await Self.change(&api, ["action": "remove", "date": "2026-11-20", "reason": "去世"])
                #expect(again.status == .conflict)
                #expect(try await Unit.query(on: app.db).filter(\.$code == Self.member).count() == 1)
            }
        }

        @Test func badChangesAreRefusedNamingTheFieldAndChangeNothing() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let cases: [([String: Any], String)] = [
                    (["action": "fly", "date": "2026-08-01"], "action"),
                    (["action": "move", "to": "branch-1-group-1", "date": "2026-08-01"], "to"),
                    (["action": "move", "to": "branch-2", "date": "2026-08-01"], "to"),
                    (["action": "move", "to": "nowhere", "date": "2026-08-01"], "to"),
                    (["action": "move", "to": "branch-1-group-2", "date": "2009-06-01"], "date"),
                    (["action": "move", "to": "branch-1-group-2", "date": "2099-01-01"], "date"),
                    (["action": "move", "to": "branch-1-group-2", "date": "2026-02-30"], "date"),
                    (["action": "transferOut", "date": "2026-08-01"], "destination"),
                    (
                        [
                            "action": "transferOut", "date": "2026-08-01",
                            "destination": String(repeating: "局", count: 201),
                        ],
                        "destination"
                    ),
                    (["action": "remove", "date": "2026-08-01", "reason": "  "], "reason"),
                ]
                for (body, field) in cases {
                    let refused = try await Self.change(&api, body)
                    #expect(refused.status == .unprocessableEntity, "\(body)")
                    #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix(field), "\(body)")
                }
                let notAMember = try await Self.change(
                    &api, ["action": "move", "to": "branch-1-group-2", "date": "2026-08-01"], member: "branch-1")
                #expect(notAMember.status == .notFound)
                let secretary = try await Self.change(
                    &api, ["action": "move", "to": "branch-1-group-2", "date": "2026-08-01"], as: "zhibu1")
                #expect(secretary.status == .forbidden, "a branch secretary reports a move; the organizer records it")
                #expect(try await Membership.query(on: app.db).count() == 0)
                #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "membership.change").count() == 0)
            }
        }

        @Test func twoChangesOfOneMemberAtOnceLeaveOneAndTellTheOther() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let zuzhi = try await api.token("zuzhi"), admin = try await api.token("admin")
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for (token, to) in [(zuzhi, "branch-1-group-2"), (admin, "branch-1-group-2")] {
                        group.addTask {
                            try await ReliabilityTests.post(
                                app, "/api/v1/units/\(Self.member)/membership",
                                #"{"action":"move","to":"\#(to)","date":"2026-08-01"}"#, type: "application/json",
                                token: token)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.sorted { $0.code < $1.code } == [.ok, .conflict], "\(statuses)")
                #expect(try await Membership.query(on: app.db).count() == 2, "one move: the stretch before and after")
                #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "membership.change").count() == 1)
            }
        }

        /// 细则 2.8 with dates: a member owes the months they were on the roster for, in the branch they were in.
        @Test func duesAreOwedByTheRosterOfTheMonth() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let leaving = "branch-2-group-1-member-2", staying = "branch-2-group-1-member-1"
                let out = try await Self.change(
                    &api, ["action": "transferOut", "date": "2026-09-01", "destination": "区教育局党支部"],
                    member: leaving)
                #expect(out.status == .ok, "\(out.body.string)")
                let book = try await LedgerBook.read(for: "branch-2", year: 2026, on: app.db)
                for month in book.dues.map(\.code) {
                    #expect(book.owing[month]?.contains(leaving) == (month < "2026-09"), "\(month)")
                    #expect(book.owing[month]?.contains(staying) == true, "\(month)")
                }
                // October: refused for the member who left; taken for one who stayed.
                func save(_ member: String) async throws -> TestingHTTPResponse {
                    try await api.call(
                        .PUT, "/api/v1/units/branch-2/dues/2026-10", as: "zhibu2",
                        json: ["payments": [["member": member, "amount": "50", "paidOn": "2026-10-05"]]])
                }
                let refused = try await save(leaving)
                #expect(refused.status == .unprocessableEntity)
                #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix("payments[0].member"))
                #expect(try await save(staying).status == .ok)
            }
        }

        /// 每缺一人 with dates: an activity's people are the roster of its day.
        @Test func anActivitysPeopleAreTheRosterOfItsDay() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let moved = try await Self.change(
                    &api, ["action": "move", "to": "branch-2-group-1", "date": "2026-10-01"])
                #expect(moved.status == .ok, "\(moved.body.string)")
                func record(_ unit: String, as user: String, date: String) async throws -> TestingHTTPResponse {
                    try await api.call(
                        .POST, "/api/v1/units/\(unit)/activities", as: user,
                        json: ["type": "memberMeeting", "date": date, "topic": "党员大会 \(date)", "absent": [Self.member]])
                }
                // September in branch-1, where they were; October in branch-2, where they are.
                #expect(try await record("branch-1", as: "zhibu1", date: "2026-09-20").status == .created)
                let gone = try await record("branch-1", as: "zhibu1", date: "2026-10-20")
                #expect(gone.status == .unprocessableEntity)
                #expect(try gone.content.decode(ErrorBody.self).reason.contains("2026-10-20 不在本组织党员名单上"))
                #expect(try await record("branch-2", as: "zhibu2", date: "2026-10-20").status == .created)
                #expect(try await record("branch-2", as: "zhibu2", date: "2026-09-21").status == .unprocessableEntity)
            }
        }

        /// 组织与人员: the admin records a 转出 on the member's page, confirmed, and a refusal keeps what was typed.
        @Test func theAdminRecordsATransferOutOnTheMembersPage() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let page = "/admin/org/units/\(Self.member)"
                let admin = try await Browser.signedIn(app, "admin", on: page)
                #expect(try await admin.get(page).body.string.contains("组织关系"))
                let refused = try await admin.post(
                    page + "/membership", form: ["action": "transferOut", "date": "2026-11-01", "destination": ""])
                #expect(refused.status == .unprocessableEntity)
                #expect(
                    refused.body.string.contains("请写明转往的组织") && refused.body.string.contains("value=\"2026-11-01\""))
                let done = try await admin.post(
                    page + "/membership",
                    form: ["action": "transferOut", "date": "2026-11-01", "destination": "市财政局机关第二党支部"])
                #expect(done.status == .seeOther)
                let after = try await admin.get(page).body.string
                #expect(after.contains("已于 2026-11-01 离开本组织") && after.contains("市财政局机关第二党支部"))
                #expect(!after.contains("确认记录变动"), "no form for one who has left")
                let again = try await admin.post(
                    page + "/membership", form: ["action": "remove", "date": "2026-11-20", "reason": "去世"])
                #expect(again.status == .conflict && again.body.string.contains("未记录"))
            }
        }

        @Test func aTransferInIsOnTheRosterFromItsDayAndBadAdditionsAreRefused() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let newcomer = "branch-1-group-1-member-9"
                func add(_ body: [String: Any], as user: String = "zuzhi") async throws -> TestingHTTPResponse {
                    try await api.call(.POST, "/api/v1/units", as: user, json: body)
                }
                let unit: [String: Any] = [
                    "code": newcomer, "name": "新转入", "kind": "member", "parent": "branch-1-group-1",
                    "from": "2026-10-10", "transferredFrom": "区教育局机关党支部",
                ]
                for (change, field) in [
                    (["kind": "general"], "kind"), (["name": " "], "name"), (["from": "2026-10-32"], "from"),
                    (["parent": "branch-1"], "parent"), (["code": "Branch 1"], "code"),
                    (["code": "branch-1-group-1-member-1"], "code"), (["transferredFrom": ""], "transferredFrom"),
                ] as [([String: Any], String)] {
                    let refused = try await add(unit.merging(change) { $1 })
                    #expect(refused.status == .unprocessableEntity, "\(change)")
                    #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix(field), "\(change)")
                }
                #expect(try await add(unit, as: "zhibu1").status == .forbidden)
                #expect(try await Unit.query(on: app.db).filter(\.$code == newcomer).count() == 0)

                #expect(try await add(unit).status == .created)
                #expect(!(try await Self.roster(&api, "branch-1-group-1", on: "2026-10-09").contains(newcomer)))
                #expect(try await Self.roster(&api, "branch-1-group-1", on: "2026-10-10").contains(newcomer))
                let history = try await api.call(.GET, "/api/v1/units/\(newcomer)/history", as: "zuzhi")
                let first = try #require(try history.content.decode(History.self).memberships.first)
                #expect(first.action == "transferIn" && first.from == "2026-10-10" && first.note == "区教育局机关党支部")
            }
        }

        /// A 党小组 added in November is not held to a year of meetings it did not exist for; one added without a
        /// day is counted as if it had always been there.
        @Test func aGroupAddedLaterIsCountedFromItsDay() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true, today: CalendarDay("2026-12-31")!) { app in
                var api = QuarterAPI(app)
                for (code, from) in [("branch-1-group-8", nil), ("branch-1-group-9", "2026-11-01")]
                    as [(String, String?)]
                {
                    var body: [String: Any] = ["code": code, "name": "新党小组", "kind": "group", "parent": "branch-1"]
                    body["from"] = from
                    let added = try await api.call(.POST, "/api/v1/units", as: "zuzhi", json: body)
                    #expect(added.status == .created, "\(added.body.string)")
                }
                let book = try await LedgerBook.read(for: "branch-1", year: 2026, on: app.db)
                let branch = try #require(try await Unit.query(on: app.db).filter(\.$code == "branch-1").first())
                let rubric = try #require(try await Ledger.rubric(for: branch, year: 2026, on: app.db))
                let lines = book.lines(of: Quarter(code: "2026Q4")!, rubric: rubric, asOf: CalendarDay("2026-12-31")!)
                func meetings(_ group: String) -> [LedgerBook.Line] {
                    lines.filter { $0.group?.code == group && $0.tally.requirement.activity == .groupMeeting }
                }
                #expect(meetings("branch-1-group-8").contains { $0.tally.missing > 0 }, "always there: short")
                #expect(!meetings("branch-1-group-9").isEmpty)
                #expect(meetings("branch-1-group-9").allSatisfy { $0.tally.missing == 0 }, "added in November")
            }
        }

        /// The ledger's form offers one who left this year, with their last day, for a meeting held before they left;
        /// the server then checks the meeting's day.
        @Test func theLedgerFormOffersOneWhoLeftForTheDaysBefore() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                #expect(
                    try await Self.change(
                        &api, ["action": "transferOut", "date": "2026-11-01", "destination": "外单位"]
                    ).status == .ok)
                let name = try #require(try await Unit.query(on: app.db).filter(\.$code == Self.member).first()).name
                let page = try await Browser.signedIn(app, "zhibu1", on: "/units/branch-1/ledger")
                    .get("/units/branch-1/ledger")
                #expect(page.body.string.contains("\(name)<span class=\"hint\">（在册至 2026-10-31）"))
                #expect(page.body.string.contains("people[\(Self.member)]"))
            }
        }
    }
}
