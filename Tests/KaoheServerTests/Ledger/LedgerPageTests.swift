import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 活动台账 in the browser: the records, how they stand against 细则 2.1 quarter by quarter, and the form.
    @Suite struct LedgerPageTests {
        static let ledger = "/units/branch-3/ledger?year=2026"

        /// The third-quarter cell of the 支委会 row of the 对照考核细则 table.
        static func committeeThirdQuarter(_ page: String) -> String? { committeeCell(page, quarter: 3) }

        /// A quarter's cell of the 支委会 row of the 对照考核细则 table, from just after `<td class="num`.
        static func committeeCell(_ page: String, quarter: Int) -> String? { cell(page, "支委会", quarter: quarter) }

        /// A quarter's cell of an activity's row (the unit's own, not a group's), from just after `<td class="num`.
        static func cell(_ page: String, _ activity: String, quarter: Int) -> String? {
            guard let row = page.range(of: "<td>\(activity)</td>"), let end = page[row.upperBound...].range(of: "</tr>")
            else { return nil }
            let cells = page[row.upperBound..<end.lowerBound].components(separatedBy: "<td class=\"num").dropFirst()
            return cells.count >= quarter ? String(cells[cells.startIndex + quarter - 1]) : nil
        }

        @Test func theSecretarySeesTheQuarterShortAndRecordsTheMissingMeeting() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(app, "zhibu3", on: Self.ledger)
                let page = try await secretary.get(Self.ledger).body.string
                #expect(page.contains("研究8月支部工作"), "the demo's records are listed")
                #expect(page.contains("全年不少于 12 次"))
                // Twelve a year, counted over the year: eight by September is behind (amber), not yet short.
                #expect(
                    Self.committeeThirdQuarter(page)?.hasPrefix(" behind\">2<br><span class=\"missing\">落后") == true,
                    "two 支委会 in the third quarter")
                #expect(page.contains("登记活动"), "the secretary records")
                #expect(page.contains("href=\"/units/branch-3/ledger\""), "the secretary reaches it from every page")

                let recorded = try await secretary.post(
                    "/units/branch-3/ledger",
                    form: [
                        "type": "committeeMeeting", "date": "2026-09-29", "topic": "研究第四季度工作",
                        "people[branch-3-group-1-member-1]": "attended",
                        "people[branch-3-group-1-member-2]": "attended",
                        "people[branch-3-group-1-member-3]": "excused", "people[branch-3-group-2-member-1]": "absent",
                    ])
                #expect(recorded.status == .seeOther)
                #expect(recorded.headers.first(name: .location) == "/units/branch-3/ledger?year=2026&done=recorded")
                let after = try await secretary.get("/units/branch-3/ledger?year=2026&done=recorded").body.string
                #expect(after.contains("已登记。") && after.contains("研究第四季度工作"))
                #expect(
                    after.contains(
                        #"<td data-label="参加">李三、杨帆</td><td data-label="请假">朱红</td><td data-label="缺席">秦川</td>"#),
                    "attended, on leave, absent — by name")
                #expect(
                    Self.committeeThirdQuarter(after)?.hasPrefix("\">3</td>") == true,
                    "three 支委会 now: nine by September")
            }
        }

        @Test func aBadRecordComesBackWithTheReasonBesideTheFieldAndTheInputKept() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(app, "zhibu3", on: Self.ledger)
                let refused = try await secretary.post(
                    "/units/branch-3/ledger",
                    form: [
                        "type": "committeeMeeting", "date": "2999-01-01", "topic": "未来的会议",
                    ])
                #expect(refused.status == .unprocessableEntity)
                let page = refused.body.string
                #expect(page.contains("id=\"date-error\"") && page.contains("不能登记"))
                #expect(!page.contains("(a date in the future)"), "in Chinese alone")
                #expect(page.contains("value=\"未来的会议\""), "what was typed is kept")
                let kept = try await Activity.query(on: app.db).filter(\.$topic == "未来的会议").count()
                #expect(kept == 0)
            }
        }

        @Test func aMistakenRecordIsWithdrawnFromThePageWithItsReason() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(app, "zhibu3", on: Self.ledger)
                let record = try #require(
                    try await Activity.query(on: app.db).filter(\.$unitCode == "branch-3")
                        .filter(\.$topic == "研究8月支部工作").first())
                let action = "/units/branch-3/ledger/\(try record.requireID())/withdraw"
                #expect(try await secretary.get(Self.ledger).body.string.contains(action))

                let bare = try await secretary.post(action, form: ["reason": " "])
                #expect(bare.status == .unprocessableEntity)
                #expect(bare.body.string.contains("撤销须写明理由"))
                let withdrawn = try await secretary.post(action, form: ["reason": "重复登记"])
                #expect(withdrawn.status == .seeOther)
                let page = try await secretary.get("/units/branch-3/ledger?year=2026&done=withdrawn").body.string
                #expect(page.contains("已撤销该记录") && page.contains("已撤销：重复登记"))
                #expect(!page.contains(action), "a withdrawn record is not withdrawn twice")
                #expect(Self.committeeThirdQuarter(page)?.contains("1<br><span class=\"missing\">落后") == true)
            }
        }

        @Test func theBureauReadsABranchsLedgerAndASiblingDoesNot() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let organizer = try await Browser.signedIn(app, "zuzhi", on: Self.ledger)
                let page = try await organizer.get(Self.ledger)
                #expect(page.status == .ok && page.body.string.contains("研究8月支部工作"))
                #expect(!page.body.string.contains("登记活动"), "the bureau reads, the branch records")
                let post = try await organizer.post(
                    "/units/branch-3/ledger", form: ["type": "visit", "date": "2026-09-01", "topic": "走访"])
                #expect(post.status == .forbidden)

                let sibling = try await Browser.signedIn(app, "zhibu1", on: Self.ledger)
                let refused = try await sibling.get(Self.ledger)
                #expect(refused.status == .forbidden)
            }
        }

        @Test func 部分记账_theQuarterALedgerBeganInIsShownNotDeductedUntilMarkedComplete() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let units = ["branch-3", "branch-3-group-1", "branch-3-group-2"]
                try await Activity.query(on: app.db).filter(\.$unitCode ~~ units).delete()
                try await LedgerCompletion.query(on: app.db).filter(\.$unitCode == "branch-3").delete()
                try await DuesRecord.query(on: app.db).filter(\.$unitCode == "branch-3").delete()
                try await app.db.writeTransaction { try await KeptLedgerYear.recount(units, years: [2026], on: $0) }
                let secretary = try await Browser.signedIn(app, "zhibu3", on: Self.ledger)
                let recorded = try await secretary.post(
                    "/units/branch-3/ledger",
                    form: [
                        "type": "committeeMeeting", "date": "2026-08-05", "topic": "研究发展党员工作",
                        "people[branch-3-group-1-member-1]": "attended",
                    ])
                #expect(recorded.status == .seeOther)
                let page = try await secretary.get(Self.ledger).body.string
                for quarter in [1, 2, 3] {
                    #expect(Self.committeeCell(page, quarter: quarter)?.contains("部分记账") == true, "quarter \(quarter)")
                }
                for activity in ["支委会", "学习日", "党费上交", "信息上报"] {
                    #expect(
                        (1...3).allSatisfy { Self.cell(page, activity, quarter: $0)?.contains("缺 ") == false },
                        "nothing is short before the ledger counts: \(activity)")
                }
                #expect(page.contains("确认2026年第三季度台账已记全"))

                let marked = try await secretary.post("/units/branch-3/ledger/complete", form: ["quarter": "2026Q3"])
                #expect(marked.status == .seeOther)
                let after = try await secretary.get("/units/branch-3/ledger?year=2026&done=complete").body.string
                #expect(after.contains("已确认该季度台账记全"))
                #expect(Self.committeeThirdQuarter(after)?.contains("部分记账") == false)
                #expect(Self.committeeCell(after, quarter: 2)?.contains("部分记账") == true, "the spring stays unrecorded")
                #expect(
                    Self.cell(after, "学习日", quarter: 3)?.contains("缺 14") == true,
                    "the third quarter's windows now deduct")
                #expect(!after.contains("确认2026年第三季度台账已记全"))
            }
        }

        @Test func aBranchLedgerCountsItsGroupsMeetings() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(app, "zhibu1", on: "/units/branch-1/ledger?year=2026")
                let page = try await secretary.get("/units/branch-1/ledger?year=2026").body.string
                #expect(
                    page.contains("党小组9月集中学习") && page.contains("第一党小组"),
                    "the group leader's record, under the group's name")
            }
        }

        @Test func theSecretaryChoosesPeopleFromTheRosterAndAStrangerIsRefusedBesideTheField() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(app, "zhibu3", on: Self.ledger)
                let page = try await secretary.get(Self.ledger).body.string
                #expect(
                    page.contains("name=\"people[branch-3-group-2-member-3]\" value=\"absent\""),
                    "the roster, every member")
                #expect(page.contains("许亮<span class=\"hint\"> 第二党小组</span>"))
                let refused = try await secretary.post(
                    "/units/branch-3/ledger",
                    form: [
                        "type": "committeeMeeting", "date": "2026-09-29", "topic": "外人",
                        "people[branch-1-group-1-member-1]": "attended", "people[branch-3-group-1-member-1]": "absent",
                    ])
                #expect(refused.status == .unprocessableEntity)
                let body = refused.body.string
                #expect(
                    body.contains("id=\"attendees-error\"") && body.contains("不在本组织党员名单上：branch-1-group-1-member-1"))
                #expect(
                    body.contains(
                        "name=\"people[branch-3-group-1-member-1]\" value=\"absent\" aria-label=\"李三 缺席\" checked"),
                    "what was chosen is kept")
            }
        }

        @Test func aMemberReadsTheirOwnRecordAndNotAFellowMembers() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let own = "/units/branch-1-group-1-member-3/ledger?year=2026"
                let member = try await Browser.signedIn(app, "dangyuan1", on: own)
                let page = try await member.get(own).body.string
                #expect(page.contains("本人参加活动情况") && page.contains("无故缺席") && page.contains("第三季度党员大会"))
                #expect(page.contains("href=\"/units/branch-1-group-1-member-3/ledger\""), "in the member's menu")
                #expect(!page.contains("登记活动"))
                let fellow = try await member.get("/units/branch-1-group-1-member-2/ledger?year=2026")
                #expect(fellow.status == .forbidden)
                let leader = try await Browser.signedIn(app, "xiaozu1", on: own)
                #expect(try await leader.get(own).status == .ok, "the group leader reads the group's members")
            }
        }
    }
}

extension ServerTests.LedgerPageTests {
    @Test func theSecretaryImportsPastRecordsAndABadRowIsNamed() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            let secretary = try await Browser.signedIn(app, "zhibu3", on: Self.ledger)
            let bad = "type,date,topic,attendees,absent\n支委会,2026-03-03,研究工作,nobody,\n"
            let refused = try await secretary.upload(
                "/units/branch-3/ledger/import", field: "file", filename: "past.csv", data: Data(bad.utf8))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("attendees：") && refused.body.string.contains("不在本组织党员名单上：nobody"))
            let good = "type,date,topic,attendees,absent\n支委会,2026-03-03,补登：研究一季度工作,branch-3-group-1-member-1,\n"
            let imported = try await secretary.upload(
                "/units/branch-3/ledger/import", field: "file", filename: "past.csv", data: Data(good.utf8))
            #expect(imported.status == .seeOther)
            let page = try await secretary.get("/units/branch-3/ledger?done=imported&count=1").body.string
            #expect(page.contains("已导入 1 行") && page.contains("补登：研究一季度工作"))
        }
    }
}
