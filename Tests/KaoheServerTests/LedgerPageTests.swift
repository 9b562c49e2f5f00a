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
        static func committeeCell(_ page: String, quarter: Int) -> String? {
            guard let row = page.range(of: "<td>支委会</td>"), let end = page[row.upperBound...].range(of: "</tr>") else { return nil }
            let cells = page[row.upperBound..<end.lowerBound].components(separatedBy: "<td class=\"num").dropFirst()
            return cells.count >= quarter ? String(cells[cells.startIndex + quarter - 1]) : nil
        }

        @Test func theSecretarySeesTheQuarterShortAndRecordsTheMissingMeeting() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(app, "zhibu3", on: Self.ledger)
                let page = try await secretary.get(Self.ledger).body.string
                #expect(page.contains("研究发展党员工作"), "the demo's records are listed")
                #expect(page.contains("全年不少于 12 次"))
                #expect(Self.committeeThirdQuarter(page)?.contains("2<br><span class=\"missing\">缺 1") == true, "two 支委会 of three in the third quarter")
                #expect(page.contains("登记活动"), "the secretary records")
                #expect(page.contains("href=\"/units/branch-3/ledger\""), "the secretary reaches it from every page")

                let recorded = try await secretary.post("/units/branch-3/ledger", form: [
                    "type": "committeeMeeting", "date": "2026-09-29", "topic": "研究第四季度工作", "attendees": "李三、杨帆\n朱红",
                ])
                #expect(recorded.status == .seeOther)
                #expect(recorded.headers.first(name: .location) == "/units/branch-3/ledger?year=2026&done=recorded")
                let after = try await secretary.get("/units/branch-3/ledger?year=2026&done=recorded").body.string
                #expect(after.contains("已登记。") && after.contains("研究第四季度工作") && after.contains("李三、杨帆、朱红"))
                #expect(Self.committeeThirdQuarter(after)?.hasPrefix("\">3</td>") == true, "three 支委会 now")
            }
        }

        @Test func aBadRecordComesBackWithTheReasonBesideTheFieldAndTheInputKept() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(app, "zhibu3", on: Self.ledger)
                let refused = try await secretary.post("/units/branch-3/ledger", form: [
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
                let record = try #require(try await Activity.query(on: app.db).filter(\.$topic == "研究发展党员工作").first())
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
                #expect(Self.committeeThirdQuarter(page)?.contains("1<br><span class=\"missing\">缺 2") == true)
            }
        }

        @Test func theBureauReadsABranchsLedgerAndASiblingDoesNot() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let organizer = try await Browser.signedIn(app, "zuzhi", on: Self.ledger)
                let page = try await organizer.get(Self.ledger)
                #expect(page.status == .ok && page.body.string.contains("研究发展党员工作"))
                #expect(!page.body.string.contains("登记活动"), "the bureau reads, the branch records")
                let post = try await organizer.post("/units/branch-3/ledger", form: ["type": "visit", "date": "2026-09-01", "topic": "走访"])
                #expect(post.status == .forbidden)

                let sibling = try await Browser.signedIn(app, "zhibu1", on: Self.ledger)
                let refused = try await sibling.get(Self.ledger)
                #expect(refused.status == .forbidden)
            }
        }

        @Test func quartersBeforeTheLedgerWasKeptAreMarkedUnkeptNotShort() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                // The demo's 第三支部 started its ledger in July: the spring was not recorded, not found short.
                let secretary = try await Browser.signedIn(app, "zhibu3", on: Self.ledger)
                let page = try await secretary.get(Self.ledger).body.string
                for quarter in [1, 2] {
                    let cell = Self.committeeCell(page, quarter: quarter)
                    #expect(cell?.hasPrefix(" unkept\">0<br><span class=\"missing\">未记账") == true, "quarter \(quarter)")
                }
                #expect(Self.committeeThirdQuarter(page)?.contains("缺 1") == true)
                // 第四支部 keeps no ledger in Kaohe: nothing on its page is short.
                let fourth = try await Browser.signedIn(app, "zhibu4", on: "/units/branch-4/ledger?year=2026")
                let unkept = try await fourth.get("/units/branch-4/ledger?year=2026").body.string
                #expect(unkept.contains("未记账") && !unkept.contains("缺 "))
            }
        }

        @Test func aBranchLedgerCountsItsGroupsMeetings() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(app, "zhibu1", on: "/units/branch-1/ledger?year=2026")
                let page = try await secretary.get("/units/branch-1/ledger?year=2026").body.string
                #expect(page.contains("交流学习体会") && page.contains("第一党小组"), "the group leader's record, under the group's name")
            }
        }
    }
}
