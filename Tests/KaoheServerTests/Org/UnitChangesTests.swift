import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 28, units change with dates too: a rename or a group's move from a day, a retirement once the members
    /// have moved, and the removal of a unit added by mistake. The past reads as it was.
    @Suite struct UnitChangesTests {
        struct Name: Decodable, Equatable {
            let name: String
            let from: String?
            let to: String?
        }
        struct History: Decodable {
            let names: [Name]
        }
        struct Row: Decodable {
            let unit: String
            let name: String
        }

        static func change(
            _ api: inout QuarterAPI, _ unit: String, _ body: [String: Any], as user: String = "zuzhi"
        ) async throws -> TestingHTTPResponse {
            try await api.call(.PATCH, "/api/v1/units/\(unit)", as: user, json: body)
        }

        static func end(_ api: inout QuarterAPI, _ unit: String, _ query: String = "", as user: String = "zuzhi")
            async throws -> TestingHTTPResponse
        {
            try await api.call(.DELETE, "/api/v1/units/\(unit)\(query)", as: user)
        }

        @Test func aRenameAfterPublicationKeepsThePublishedNameAndTodaysPagesShowTheNewOne() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for unit in ["branch-1", "branch-2", "branch-3", "branch-4"] { try await api.approve(unit) }
                #expect(try await api.call(.POST, "publish", as: "zuzhi").status == .ok)
                let published = try #require(try await Unit.query(on: app.db).filter(\.$code == "branch-1").first())
                    .name

                let renamed = try await Self.change(
                    &api, "branch-1", ["name": "局机关综合党支部", "date": "2026-11-01", "reason": "机构改革"])
                #expect(renamed.status == .ok, "\(renamed.body.string)")

                // act: the published quarter's rows are kept again (as an upheld objection does)
                let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
                try await Results.store(period, level: .branch, on: app.db)
                // check: the board and the notice keep the name it was published under
                let rows = try await api.call(.GET, "results", as: "zuzhi").content.decode([Row].self)
                #expect(rows.first { $0.unit == "branch-1" }?.name == published)
                let notice = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q3/results/notice").get(
                    "/periods/2026Q3/results/notice")
                #expect(notice.body.string.contains(published) && !notice.body.string.contains("局机关综合党支部"))
                // today's pages show the new one, and the history both, with their days
                let units = try await api.call(.GET, "/api/v1/units", as: "zhibu1").body.string
                #expect(units.contains("局机关综合党支部"))
                let history = try await api.call(.GET, "/api/v1/units/branch-1/history", as: "zhibu1")
                #expect(
                    try history.content.decode(History.self).names == [
                        Name(name: published, from: nil, to: "2026-10-31"),
                        Name(name: "局机关综合党支部", from: "2026-11-01", to: nil),
                    ])
                let event = try #require(try await AuditEvent.query(on: app.db).sort(\.$seq, .descending).first())
                #expect(event.action == "unit.change" && event.subject == "unit:branch-1")
            }
        }

        @Test func aGroupMovedToAnotherBranchCountsForEachOnItsOwnDays() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let before = try await MembershipTests.roster(&api, "branch-2", on: "2026-07-15").count
                let moved = try await Self.change(
                    &api, "branch-1-group-2", ["parent": "branch-2", "date": "2026-08-01"])
                #expect(moved.status == .ok, "\(moved.body.string)")

                #expect(try await MembershipTests.roster(&api, "branch-1", on: "2026-07-31").count == 6)
                #expect(try await MembershipTests.roster(&api, "branch-1", on: "2026-08-01").count == 3)
                #expect(try await MembershipTests.roster(&api, "branch-2", on: "2026-07-31").count == before)
                #expect(try await MembershipTests.roster(&api, "branch-2", on: "2026-08-01").count == before + 3)
                // the branch's own page of July still counts the group's three as its own
                let rosters = try await Ledger.rosters(
                    of: try #require(try await Unit.query(on: app.db).filter(\.$code == "branch-1").first()), on: app.db
                )
                #expect(DuesLedger.owing(rosters, month: CalendarDay("2026-07-01")!).count == 6)
                #expect(DuesLedger.owing(rosters, month: CalendarDay("2026-08-01")!).count == 3)
            }
        }

        @Test func badUnitChangesAreRefusedNamingTheFieldAndChangeNothing() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let refusals: [(String, [String: Any], String)] = [
                    ("branch-1", ["name": " ", "date": "2026-11-01"], "name"),
                    ("branch-1", ["name": String(repeating: "名", count: 101), "date": "2026-11-01"], "name"),
                    ("branch-1", ["date": "2026-11-01"], "name"),
                    ("branch-1", ["name": "新名称"], "date"),
                    ("branch-1", ["name": "新名称", "date": "2099-01-01"], "date"),
                    (
                        "branch-1",
                        ["name": "新名称", "date": "2026-11-01", "reason": String(repeating: "因", count: 201)], "reason"
                    ),
                    ("branch-1", ["parent": "general", "date": "2026-11-01"], "parent"),
                    ("branch-1-group-1", ["parent": "branch-1", "date": "2026-11-01"], "parent"),
                    ("branch-1-group-1", ["parent": "branch-2-group-1", "date": "2026-11-01"], "parent"),
                    ("branch-1-group-1", ["parent": "nowhere", "date": "2026-11-01"], "parent"),
                    ("branch-1-group-1-member-1", ["parent": "branch-1-group-2", "date": "2026-11-01"], "parent"),
                ]
                for (unit, body, field) in refusals {
                    let response = try await Self.change(&api, unit, body)
                    #expect(response.status == .unprocessableEntity, "\(body): \(response.body.string)")
                    #expect(try response.content.decode(ErrorBody.self).reason.hasPrefix(field), "\(body)")
                }
                #expect(
                    try await Self.change(&api, "nowhere", ["name": "新", "date": "2026-11-01"]).status == .notFound)
                #expect(
                    try await Self.change(&api, "branch-1", ["name": "新", "date": "2026-11-01"], as: "zhibu1").status
                        == .forbidden)
                #expect(try await Self.end(&api, "branch-1", "?date=2026-11-01", as: "zhibu1").status == .forbidden)
                #expect(try await UnitChange.query(on: app.db).count() == 0)
                #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "unit.change").count() == 0)

                // a change dated before one recorded since is news to whoever asks: refused, not merged
                #expect(try await Self.change(&api, "branch-1", ["name": "甲", "date": "2026-11-01"]).status == .ok)
                let stale = try await Self.change(&api, "branch-1", ["name": "乙", "date": "2026-10-01"])
                #expect(stale.status == .conflict && stale.body.string.contains("2026-11-01"))
            }
        }

        @Test func twoChangesOfOneUnitAtOnceLeaveOneAndTellTheOther() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                _ = try await api.token("zuzhi")
                _ = try await api.token("admin")
                let frozen = api
                async let first = {
                    var api = frozen;
                    return try await Self.change(
                        &api, "branch-1-group-2", ["parent": "branch-2", "date": "2026-11-01"])
                }()
                async let second = {
                    var api = frozen;
                    return try await Self.change(
                        &api, "branch-1-group-2", ["parent": "branch-3", "date": "2026-11-01"], as: "admin")
                }()
                let statuses = [try await first.status, try await second.status]
                #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .conflict }.count == 1)
                #expect(try await UnitChange.query(on: app.db).count() == 1)
            }
        }

        @Test func aUnitIsRetiredOnceItsMembersHaveMovedAndOneNeverUsedIsRemoved() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let group = "branch-1-group-1"
                let remaining = try await Self.end(&api, group, "?date=2026-11-02&reason=合并")
                #expect(
                    remaining.status == .conflict && remaining.body.string.contains("3"), "\(remaining.body.string)")
                for member in 1...3 {
                    let moved = try await MembershipTests.change(
                        &api, ["action": "move", "to": "branch-1-group-2", "date": "2026-11-01"],
                        member: "\(group)-member-\(member)")
                    #expect(moved.status == .ok, "\(moved.body.string)")
                }
                let early = try await Self.end(&api, group, "?date=2026-10-15")
                #expect(early.status == .unprocessableEntity && early.body.string.hasPrefix("{"))
                #expect(try early.content.decode(ErrorBody.self).reason.hasPrefix("date"))
                #expect(try await Self.end(&api, group, "?date=2026-11-01&reason=合并").status == .noContent)
                #expect(try await Self.end(&api, group, "?date=2026-11-02").status == .conflict, "retired once")

                // its history stays readable; nobody moves into it, and nothing is added under it
                let history = try await api.call(.GET, "/api/v1/units/\(group)/history", as: "zhibu1")
                #expect(try history.content.decode(History.self).names.last?.to == "2026-10-31")
                let into = try await MembershipTests.change(
                    &api, ["action": "move", "to": group, "date": "2026-11-05"], member: "branch-2-group-1-member-1")
                #expect(into.status == .unprocessableEntity && into.body.string.contains("撤销"))
                let under = try await api.call(
                    .POST, "/api/v1/units", as: "zuzhi",
                    json: ["code": "late-member", "name": "新党员", "kind": "member", "parent": group])
                #expect(under.status == .unprocessableEntity)

                // a group added by mistake, never used: removed outright, audited
                let added = try await api.call(
                    .POST, "/api/v1/units", as: "zuzhi",
                    json: ["code": "mistake", "name": "误建党小组", "kind": "group", "parent": "branch-2"])
                #expect(added.status == .created)
                #expect(try await Self.end(&api, "mistake").status == .noContent)
                #expect(try await Unit.query(on: app.db).filter(\.$code == "mistake").count() == 0)
                #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "unit.remove").count() == 1)
                // a member is never retired: they leave by a transfer or a removal, their record kept
                let member = try await Self.end(&api, "branch-2-group-1-member-1", "?date=2026-11-01")
                #expect(member.status == .conflict && member.body.string.contains("membership"))
            }
        }

        /// Member sheets by the roster: a quarter assesses the members on its roster for more than the member rubric's
        /// `rosterShare` of its days (half by default), and the branches and groups in being in it.
        @Test func aQuarterAssessesWhoWasOnItsRosterForMostOfIt() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let lateArrival = try await api.call(
                    .POST, "/api/v1/units", as: "zuzhi",
                    json: [
                        "code": "arrived-late", "name": "转入党员", "kind": "member", "parent": "branch-2-group-1",
                        "from": "2026-11-20", "transferredFrom": "市教育局机关党支部",
                    ])
                #expect(lateArrival.status == .created)
                let stayedMost = "branch-1-group-1-member-1", leftEarly = "branch-1-group-1-member-2"
                for (member, day) in [(stayedMost, "2026-12-01"), (leftEarly, "2026-10-20")] {
                    let out = try await MembershipTests.change(
                        &api, ["action": "transferOut", "date": day, "destination": "外单位"], member: member)
                    #expect(out.status == .ok)
                }
                let added = try await api.call(
                    .POST, "/api/v1/units", as: "zuzhi",
                    json: [
                        "code": "new-group", "name": "新党小组", "kind": "group", "parent": "branch-2",
                        "from": "2026-11-01",
                    ])
                #expect(added.status == .created)
                #expect(
                    try await api.call(.POST, "/api/v1/periods", as: "zuzhi", json: ["quarter": "2026Q4"]).status
                        == .created)

                let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q4").first())
                let sheets = Set(
                    try await Sheet.query(on: app.db).filter(\.$period.$id == period.requireID()).all().map(\.unitCode))
                #expect(sheets.contains(stayedMost), "61 of 92 days")
                #expect(!sheets.contains(leftEarly), "19 of 92 days")
                #expect(!sheets.contains("arrived-late"), "42 of 92 days")
                #expect(sheets.contains("new-group") && sheets.contains("branch-1-group-1-member-3"))
            }
        }

        /// 组织与人员: the unit's page renames, moves and retires, a refusal coming back beside its field with what was
        /// typed, or at the top when the organisation changed meanwhile.
        @Test func theAdminRenamesMovesAndRetiresOnTheUnitsPage() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let page = "/admin/org/units/branch-1-group-2"
                let admin = try await Browser.signedIn(app, "admin", on: page)
                let refused = try await admin.post(
                    "\(page)/change", form: ["name": "综合党小组", "parent": "branch-2", "date": "2099-01-01"])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("综合党小组") && refused.body.string.contains("field-error"))
                #expect(try await UnitChange.query(on: app.db).count() == 0)

                let done = try await admin.post(
                    "\(page)/change", form: ["name": "综合党小组", "parent": "branch-2", "date": "2026-11-01", "reason": ""])
                #expect(done.status == .seeOther, "\(done.body.string)")
                let group = try #require(try await Unit.query(on: app.db).filter(\.$code == "branch-1-group-2").first())
                #expect(group.name == "综合党小组" && group.parentCode == "branch-2")
                let shown = try await admin.get(page)
                #expect(shown.body.string.contains("（启用前）") && shown.body.string.contains("2026-11-01"))

                // members remain: told at the top, nothing retired
                let remaining = try await admin.post("\(page)/end", form: ["date": "2026-11-05", "reason": "合并"])
                #expect(remaining.status == .conflict && remaining.body.string.contains("未办理"))
                // a group added by mistake goes at once
                try await admin.get("/admin/org")
                let added = try await admin.post(
                    "/admin/org/units",
                    form: ["kind": "group", "code": "mistake", "name": "误建党小组", "parent": "branch-3"])
                #expect(added.status == .seeOther)
                try await admin.get("/admin/org/units/mistake")
                let removed = try await admin.post("/admin/org/units/mistake/end", form: ["date": "", "reason": "误建"])
                #expect(removed.status == .seeOther)
                #expect(try await Unit.query(on: app.db).filter(\.$code == "mistake").count() == 0)
            }
        }
    }
}
