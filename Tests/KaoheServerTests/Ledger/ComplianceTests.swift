import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 台账对照 (api.md `GET /api/v1/compliance?period=`): every branch and group, each counted requirement of its
    /// rubric over its span up to the period's end; the general branch's view, with its exports.
    @Suite struct ComplianceTests {
        struct UnitLines: Decodable {
            let unit: String; let name: String; let kind: String; let partial: Bool; let requirements: [Line]
        }
        struct Line: Decodable {
            let activity: String; let rule: String; let span: String; let group: String?; let needed: Int;
            let recorded: Int
            let short: Int; let ended: Bool; let behind: Bool; let missing: Int
        }

        @Test func everyBranchAndGroupAgainstItsRubricUpToTheQuartersEnd() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let response = try await api.call(.GET, "/api/v1/compliance?period=2026Q3", as: "zuzhi")
                #expect(response.status == .ok)
                let document = try response.content.decode([UnitLines].self)
                #expect(document.map(\.unit).prefix(3) == ["branch-1", "branch-1-group-1", "branch-1-group-2"])
                #expect(document.count == 12, "four branches and their eight groups")
                let second = try #require(document.first { $0.unit == "branch-2" })
                // Two Wednesdays skipped in August: the quarter's 14 weeks summed into one line.
                let study = try #require(second.requirements.first { $0.activity == "studySession" })
                #expect(
                    study.span == "week" && study.needed == 14 && study.recorded == 12 && study.short == 2
                        && study.missing == 2)
                let report = try #require(second.requirements.first { $0.activity == "infoReport" })
                #expect(
                    report.span == "quarter" && report.needed == 1 && report.recorded == 0 && report.ended
                        && report.missing == 1)
                // 支委会 twelve a year: nine by September is on pace, not short.
                let committee = try #require(second.requirements.first { $0.activity == "committeeMeeting" })
                #expect(
                    committee.span == "year" && committee.recorded == 9 && committee.needed == 12 && !committee.ended
                        && !committee.behind)
                // 第一支部 held none in the third quarter: eight by September is behind.
                let first = try #require(
                    document.first { $0.unit == "branch-1" }?.requirements.first { $0.activity == "committeeMeeting" })
                #expect(first.recorded == 6 && first.behind)
                // Counted per group: 第四支部's second group held no 组织活动 in the quarter.
                let fourth = try #require(document.first { $0.unit == "branch-4" })
                let activities = fourth.requirements.filter { $0.activity == "branchActivity" && $0.span == "quarter" }
                #expect(activities.map(\.group) == ["机关第四党支部第一党小组", "机关第四党支部第二党小组"])
                #expect(activities.map(\.missing) == [0, 1])
                // A group is counted against its own rubric (party-group.yaml).
                let group = try #require(document.first { $0.unit == "branch-4-group-2" })
                #expect(
                    group.kind == "group"
                        && group.requirements.contains { $0.activity == "groupMeeting" && $0.rule == "1.1.a" })
            }
        }

        /// Issue 29: a window of the view reads only its units' ledgers; the same units as the whole, in its order.
        @Test func theViewPagesByUnitAndNamesOne() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let whole = try await api.call(.GET, "/api/v1/compliance?period=2026Q3", as: "zuzhi").content
                    .decode([UnitLines].self)
                let page = try await api.call(.GET, "/api/v1/compliance?period=2026Q3&limit=5&offset=3", as: "zuzhi")
                #expect(page.status == .ok)
                let window = try page.content.decode([UnitLines].self)
                #expect(window.map(\.unit) == Array(whole.map(\.unit)[3..<8]))
                #expect(
                    window.map { $0.requirements.map(\.missing) } == whole[3..<8].map { $0.requirements.map(\.missing) }
                )
                let one = try await api.call(.GET, "/api/v1/compliance?period=2026Q3&unit=branch-2", as: "zuzhi")
                #expect(try one.content.decode([UnitLines].self).map(\.unit) == ["branch-2"])
                let refused = try await api.call(.GET, "/api/v1/compliance?period=2026Q3&limit=0", as: "zuzhi")
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("limit"))

                // The page: one branch with its groups, or what a search finds.
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/compliance")
                let branch = try await organizer.get("/compliance?period=2026Q3&branch=branch-2").body.string
                #expect(branch.contains("href=\"/units/branch-2-group-1/ledger?year=2026\""))
                #expect(!branch.contains("href=\"/units/branch-1/ledger?year=2026\""))
                #expect(branch.contains("共 3 个"))
                let found = try await organizer.get("/compliance?period=2026Q3&q=第四").body.string
                #expect(found.contains("href=\"/units/branch-4/ledger?year=2026\"") && found.contains("共 3 个"))
                // Only the units with a window ended short, or one behind schedule.
                let short = try await organizer.get("/compliance?period=2026Q3&show=short").body.string
                #expect(short.contains("href=\"/units/branch-2/ledger?year=2026\"") && !short.contains("共 12 个"))
                #expect(short.contains("<span class=\"chip short\">") && short.contains("selected>有不足"))
                let behind = try await organizer.get("/compliance?period=2026Q3&show=behind").body.string
                #expect(behind.contains("<span class=\"chip behind\">支委会 全年 6/12</span>"))
            }
        }

        /// Issue 29: with nothing asked of the units, a page is a window of the quarter's listing held for the bureau's
        /// epoch; a change to the tree is audited and moves it, so the next page lists the tree as it now is, in the
        /// order the database gives it.
        @Test func theHeldListingFollowsTheTreeAndEqualsTheDatabasesOrder() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                func listed() async throws -> [UnitLines] {
                    try await api.call(.GET, "/api/v1/compliance?period=2026Q3&limit=50", as: "zuzhi").content
                        .decode([UnitLines].self)
                }
                let quarter = Quarter(code: "2026Q3")!
                func fromTheDatabase() async throws -> [String] {
                    let from = try await Compliance.sheets(in: quarter, .init(), levels: [.branch, .group], on: app.db)
                    return try await Compliance.ordered(from, limit: nil, offset: 0, on: app.db).map(\.code)
                }
                let before = try await listed()
                #expect(try await before.map(\.unit) == fromTheDatabase())
                let renamed = try await UnitChangesTests.change(
                    &api, "branch-2", ["name": "局机关综合党支部", "date": "2026-11-01", "reason": "机构改革"])
                #expect(renamed.status == .ok, "\(renamed.body.string)")
                let after = try await listed()
                #expect(after.first { $0.unit == "branch-2" }?.name == "局机关综合党支部", "the rename is listed at once")
                #expect(try await after.map(\.unit) == fromTheDatabase())
                #expect(try await Compliance.count(in: quarter, on: app.db) == after.count)
            }
        }

        /// Issue 29: the API writes each unit's part from the text its sheet keeps; what it writes is the view
        /// decoded, as counted and as kept, and a name with quotes and a backslash is still one JSON string.
        @Test func theAPIsJSONWrittenFromTheKeptTextsIsTheViewItself() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let name = "局机关\"综合\"党支部\\一"
                let renamed = try await UnitChangesTests.change(
                    &api, "branch-2", ["name": name, "date": "2026-11-01", "reason": "机构改革"])
                #expect(renamed.status == .ok, "\(renamed.body.string)")
                func served() async throws -> [Compliance.UnitLines] {
                    let response = try await api.call(.GET, "/api/v1/compliance?period=2026Q3", as: "zuzhi")
                    #expect(response.headers.contentType == .json)
                    return try JSONDecoder().decode(
                        [Compliance.UnitLines].self, from: Data(response.body.readableBytesView))
                }
                let counted = try await served()
                let kept = try await served()
                let decoded = try await Compliance.document(
                    for: Quarter(code: "2026Q3")!, today: BureauCalendar.today(), on: app.db)
                #expect(counted == decoded && kept == decoded && decoded.count == 12)
                #expect(kept.first { $0.unit == "branch-2" }?.name == name)
            }
        }

        /// Issue 29: the server counts the readings that are not current before anyone asks (`Maintenance` runs it
        /// at start and every ten minutes): then the view counts nothing, and what was kept is the count from
        /// scratch; after a record, only that unit is counted again; after another day, every unit of the running
        /// quarter.
        @Test func theDaysReadingsAreCountedBeforeAnyoneAsks() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let (quarter, today) = (Quarter(code: "2026Q3")!, BureauCalendar.today())
                func counted() async throws -> Int {
                    try await Compliance.read(
                        try await Compliance.listed(in: quarter, on: app.db), quarter: quarter, today: today,
                        on: app.db
                    ).counted
                }
                #expect(try await Compliance.keepReadings(today: today, on: app.db) == 12, "four branches, 8 groups")
                #expect(try await Compliance.keepReadings(today: today, on: app.db) == 0, "all current")
                #expect(try await counted() == 0, "the view reads what was kept")
                let kept = try await Compliance.document(for: quarter, today: today, on: app.db)
                var scratch: [KeptSheetReading.Listing] = []
                for item in try await Compliance.listed(in: quarter, on: app.db) {
                    let book = try await LedgerBook.read(for: item.unit.code, year: 2026, on: app.db)
                    let rubric = try await RubricStore.rubric(id: item.rubric, on: app.db)
                    scratch.append(
                        try await KeptSheetReading.count(
                            item.unit.code, level: item.unit.kind, book: book, quarter: quarter, rubric: rubric,
                            today: today, facts: false, on: app.db
                        ).listing)
                }
                #expect(kept.map { .init(partial: $0.partial, requirements: $0.requirements) } == scratch)

                let info = ["type": "infoReport", "date": "2026-09-18", "topic": "9 月支部工作简报"]
                let recorded = try await api.call(.POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: info)
                #expect(recorded.status == .created, "\(recorded.body.string)")
                #expect(try await Compliance.keepReadings(today: today, on: app.db) == 1, "branch-2 alone")

                // The running quarter is read as of today: the next day its every unit is counted again.
                let opened = try await api.call(.POST, "/api/v1/periods", as: "zuzhi", json: ["quarter": "2026Q4"])
                #expect(opened.status == .created, "\(opened.body.string)")
                // Once 2026Q4 is opened it is the quarter 台账对照 shows: its units are counted, not 2026Q3's.
                #expect(try await Compliance.keepReadings(today: today, on: app.db) == 12)
                #expect(try await Compliance.keepReadings(today: today.adding(days: 1), on: app.db) == 12)
            }
        }

        @Test func theGeneralBranchReadsItAndABranchDoesNot() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                #expect(try await api.call(.GET, "/api/v1/compliance?period=2026Q3", as: "zhibu1").status == .forbidden)
                let bad = try await api.call(.GET, "/api/v1/compliance?period=2026Q9", as: "zuzhi")
                #expect(bad.status == .unprocessableEntity)
                #expect(try bad.content.decode(ErrorBody.self).reason.hasPrefix("period:"))
                #expect(try await api.call(.GET, "/api/v1/compliance?period=2025Q1", as: "zuzhi").status == .notFound)
                let csv = try await api.call(.GET, "/api/v1/compliance.csv?period=2026Q3", as: "zuzhi")
                #expect(csv.status == .ok && csv.body.string.contains("机关第二党支部,,学习日,2.2.b,每周"))
                let xlsx = try await api.call(.GET, "/api/v1/compliance.xlsx?period=2026Q3", as: "zuzhi")
                #expect(xlsx.status == .ok && xlsx.body.readableBytes > 1000)
                // Streamed fifty units at a time, and the same sheet as the view written whole.
                let document = try await Compliance.document(
                    for: Quarter(code: "2026Q3")!, today: BureauCalendar.today(), on: app.db)
                let whole = try ExportTests.unzip(
                    Array(try XLSXWorkbook.data(Compliance.table(document, quarter: Quarter(code: "2026Q3")!))))
                let sent = try ExportTests.unzip(Array(xlsx.body.readableBytesView))
                #expect(sent.map(\.text) == whole.map(\.text))
            }
        }

        @Test func theOrganizersPageShowsShortInRedBehindInAmberAndLinksToTheLedger() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/compliance")
                let page = try await organizer.get("/compliance?period=2026Q3").body.string
                #expect(page.contains("台账对照 · 2026年第三季度"))
                #expect(page.contains("<span class=\"chip short\">学习日 每周 12/14</span>"))
                #expect(page.contains("<span class=\"chip behind\">支委会 全年 6/12</span>"))
                #expect(
                    page.contains("<span class=\"chip short\">第二党小组 组织活动 本季 0/1</span>"),
                    "a group's gap, under its name")
                #expect(!page.contains("思想状况分析 下半年"), "once a half year is not behind at the half's middle")
                #expect(page.contains("href=\"/units/branch-2/ledger?year=2026\""), "drill down to the records")
                #expect(page.contains("href=\"/compliance.xlsx?period=2026Q3\""))
                #expect(page.contains("href=\"/compliance\""), "in the organizer's menu")
            }
        }
    }
}
