import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 台账启用日 (guard rails, api.md `PUT /api/v1/settings/ledger`): the general branch says from when the ledger is
    /// kept in Kaohe; from then every branch and group is counted whether it records or not, and 部分记账 is left
    /// only for the quarter of that day.
    @Suite struct LedgerStartTests {
        struct Setting: Decodable, Equatable { let startsOn: String?; let countedFrom: String? }

        /// 第二支部 as if it had never recorded anything in Kaohe.
        static func forgetBranchTwo(_ app: Application) async throws {
            let units = ["branch-2", "branch-2-group-1", "branch-2-group-2"]
            try await Activity.query(on: app.db).filter(\.$unitCode ~~ units).delete()
            try await LedgerCompletion.query(on: app.db).filter(\.$unitCode == "branch-2").delete()
            try await DuesRecord.query(on: app.db).filter(\.$unitCode == "branch-2").delete()
            try await DuesPaymentRecord.query(on: app.db).filter(\.$unitCode == "branch-2").delete()
            try await UnitDocument.query(on: app.db).filter(\.$unitCode ~~ units).delete()
            // Deleted behind the writes' backs: counted again, as `kaohe ledger check --repair` would.
            try await app.db.writeTransaction { try await KeptLedgerYear.recount(units, years: [2026], on: $0) }
        }

        @Test func fromTheStartDateAUnitThatNeverRecordsIsShort() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.forgetBranchTwo(app)
                #expect(try await api.sheet("branch-2").suggestions.isEmpty, "without a start date: 部分记账 for ever")

                let set = try await api.call(
                    .PUT, "/api/v1/settings/ledger", as: "zuzhi", json: ["startsOn": "2026-07-01"])
                #expect(set.status == .ok)
                #expect(
                    try set.content.decode(Setting.self) == Setting(startsOn: "2026-07-01", countedFrom: "2026-07-01"))
                let suggested = try await api.sheet("branch-2").suggestions
                #expect(suggested.map(\.rule) == ["2.1.a", "2.2.b", "2.8.a", "2.10.a"])
                #expect(
                    suggested.map(\.count) == [2, 14, 3, 1], "each group's 组织活动, 14 Wednesdays, 3 months, 1 report")
                let compliance = try await api.call(.GET, "/api/v1/compliance?period=2026Q3", as: "zuzhi")
                    .content.decode([ComplianceTests.UnitLines].self)
                #expect(compliance.first { $0.unit == "branch-2" }?.partial == false)
            }
        }

        @Test func aStartDateInsideAQuarterLeavesThatQuarterPartialAndCountsFromTheNext() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.forgetBranchTwo(app)
                let set = try await api.call(
                    .PUT, "/api/v1/settings/ledger", as: "zuzhi", json: ["startsOn": "2026-08-15"])
                #expect(
                    try set.content.decode(Setting.self) == Setting(startsOn: "2026-08-15", countedFrom: "2026-10-01"))
                #expect(try await api.sheet("branch-2").suggestions.isEmpty, "the quarter of the start date is partial")
                let compliance = try await api.call(.GET, "/api/v1/compliance?period=2026Q3", as: "zuzhi")
                    .content.decode([ComplianceTests.UnitLines].self)
                #expect(compliance.filter(\.partial).map(\.unit).contains("branch-2"))
                // Its secretary may still say the quarter's ledger is complete, and it counts from then.
                let marked = try await api.call(
                    .POST, "/api/v1/units/branch-2/ledger/complete", as: "zhibu2", json: ["quarter": "2026Q3"])
                #expect(marked.status == .ok)
                #expect(
                    try await api.sheet("branch-2").suggestions.map(\.rule) == ["2.1.a", "2.2.b", "2.8.a", "2.10.a"])
            }
        }

        @Test func onlyTheOrganizerSetsItAndADayThatCannotBeMeantIsRefusedNamingStartsOn() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for user in ["shuji", "zhibu2", "admin"] {
                    let refused = try await api.call(
                        .PUT, "/api/v1/settings/ledger", as: user, json: ["startsOn": "2026-07-01"])
                    #expect(refused.status == .forbidden, "\(user)")
                }
                for bad: [String: Any] in [
                    ["startsOn": "2026-13-01"], ["startsOn": "July 1"], ["startsOn": "1999-12-31"],
                    ["startsOn": "2099-01-01"], [:], ["startsOn": 20260701],
                ] {
                    let refused = try await api.call(.PUT, "/api/v1/settings/ledger", as: "zuzhi", json: bad)
                    // A number where a day is written is the body's shape (400), as everywhere in the API.
                    let status: HTTPStatus = bad["startsOn"] is Int ? .badRequest : .unprocessableEntity
                    #expect(refused.status == status, "\(bad)")
                    #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix("startsOn:"), "\(bad)")
                }
                #expect(try await BureauSetting.query(on: app.db).count() == 0, "nothing kept of a refusal")

                for _ in 1...2 {
                    try await api.call(.PUT, "/api/v1/settings/ledger", as: "zuzhi", json: ["startsOn": "2026-04-01"])
                }
                let cleared = try await api.call(
                    .PUT, "/api/v1/settings/ledger", as: "zuzhi", json: ["startsOn": NSNull()])
                #expect(try cleared.content.decode(Setting.self) == Setting(startsOn: nil, countedFrom: nil))
                let read = try await api.call(.GET, "/api/v1/settings/ledger", as: "zhibu2")
                #expect(try read.content.decode(Setting.self) == Setting(startsOn: nil, countedFrom: nil))
                let events = try await AuditEvent.query(on: app.db).filter(\.$action == "ledger.start").sort(\.$seq)
                    .all()
                #expect(
                    events.map(\.subject) == ["setting:ledger", "setting:ledger"], "the same day twice is one change")
                #expect(events.last?.before?.contains("2026-04-01") == true)
            }
        }

        @Test func twoOrganizersSettingAtOnceLeaveOneDayAndNoError() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let organizer = try #require(try await User.query(on: app.db).filter(\.$username == "zuzhi").first())
                let days = (1...8).map { CalendarDay(year: 2026, month: $0 % 2 == 0 ? 4 : 7, day: 1) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for day in days {
                        group.addTask { try await LedgerStart.set(day, by: organizer, on: app.db) }
                    }
                    try await group.waitForAll()
                }
                #expect(try await BureauSetting.query(on: app.db).count() == 1)
            }
        }

        @Test func theOrganizerSetsItOnTheCompliancePageAndARefusalKeepsWhatWasTyped() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/compliance")
                let refused = try await organizer.post(
                    "/compliance/ledger-start", form: ["startsOn": "2099-01-01", "period": "2026Q3"])
                #expect(refused.status == .unprocessableEntity)
                let page = refused.body.string
                #expect(page.contains("value=\"2099-01-01\""), "the typed day stays in the field")
                #expect(page.contains("class=\"field-error\" id=\"startsOn-error\""))
                #expect(page.contains("台账启用日应在 2000 年至"))

                let saved = try await organizer.post(
                    "/compliance/ledger-start", form: ["startsOn": "2026-07-01", "period": "2026Q3"])
                #expect(saved.status == .seeOther)
                #expect(
                    saved.headers.first(name: .location) == "/compliance?period=2026Q3&done=ledger-start#ledger-start")
                let shown = try await organizer.get("/compliance?period=2026Q3&done=ledger-start").body.string
                #expect(shown.contains("已保存台账启用日"))
                #expect(shown.contains("自 2026-07-01 起，各支部、党小组无论是否记录"))

                let approver = try await Browser.signedIn(app, "shuji", on: "/compliance")
                let read = try await approver.get("/compliance?period=2026Q3").body.string
                #expect(read.contains("自 2026-07-01 起") && !read.contains("action=\"/compliance/ledger-start\""))
            }
        }
    }
}
