import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 党团园地 in the browser: 公布 by the organizer, the ranking for every member, the 公示 and the exports;
    /// then 反馈, evidence and the objection on the feedback page.
    @Suite struct ResultsPageTests {
        func approveAll(_ app: Application) async throws {
            var api = QuarterAPI(app)
            for unit in ["branch-1", "branch-2", "branch-3", "branch-4"] { try await api.approve(unit) }
        }

        @Test func theOrganizerPublishesFromTheResultsPageOnceEverySheetIsApproved() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q3/results")
                let before = try await organizer.post("/periods/2026Q3/publish", form: [:])
                #expect(before.status == .conflict)
                #expect(before.body.string.contains("尚有考核表未审核确定"))
                try await approveAll(app)
                let published = try await organizer.post("/periods/2026Q3/publish", form: [:])
                #expect(published.status == .seeOther)

                let member = try await Browser.signedIn(app, "dangyuan1", on: "/periods/2026Q3/results")
                let page = try await member.get("/periods/2026Q3/results")
                #expect(page.status == .ok)
                let html = page.body.string
                #expect(html.contains("<span class=\"badge excellent\">优秀</span>"))
                #expect(html.contains("<svg"), "a radar per branch")
                #expect(!html.contains("公布考核结果</button>"), "a member cannot publish")
                let notice = try await member.get("/periods/2026Q3/results/notice")
                #expect(notice.body.string.contains("考核结果的公示"))
                let csv = try await member.get("/periods/2026Q3/results.csv")
                #expect(
                    Array(Data(buffer: csv.body).prefix(3)) == [0xEF, 0xBB, 0xBF], "Excel and WPS read UTF-8 by its BOM"
                )
                #expect(csv.body.string.contains("机关第四党支部"))
                let xlsx = try await member.get("/periods/2026Q3/results.xlsx")
                #expect(Array(Data(buffer: xlsx.body).prefix(2)) == [0x50, 0x4B], "an XLSX is a zip")
            }
        }

        /// The board decodes a published level once per stored version, and the API holds its bytes so: what is kept
        /// again (a veto, a new name) is what the next reader sees, never the rows held before.
        @Test func theBoardShowsWhatWasKeptLastAfterAVetoAndANewName() async throws {
            try await withKaohe { app in
                _ = try await SyntheticBureau(
                    shape: BureauShape(branches: 2, groupsPerBranch: 1, membersPerGroup: 1),
                    progress: { _ in }
                ).generate(on: app)
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q3/results")
                let board = "/periods/2026Q3/results"
                let before = try await organizer.get(board).body.string
                #expect(!before.contains("取消评比资格"))
                var api = QuarterAPI(app)
                api.period = "2026Q3"
                func vetoedInTheAPI() async throws -> [String] {
                    try await api.call(.GET, "results", as: "zuzhi").content.decode([Results.Row].self).filter(\.vetoed)
                        .map(\.unit)
                }
                #expect(try await vetoedInTheAPI().isEmpty)
                let veto = try await api.call(
                    .POST, "/api/v1/units/branch-2/vetoes", as: "zuzhi",
                    json: ["veto": "V3", "date": "2026-08-03", "reason": "受党内警告处分"])
                #expect(veto.status == .created, "\(veto.body.string)")
                #expect(try await organizer.get(board).body.string.contains("取消评比资格"))
                #expect(try await vetoedInTheAPI() == ["branch-2"], "the API sends what was kept last too")
                try await OrgTree.update(
                    "branch-1", name: "机关第一党支部（新）", position: nil, joinedOn: nil, midLevel: false,
                    actor: "zuzhi", on: app.db)
                let after = try await organizer.get(board).body.string
                #expect(after.contains("机关第一党支部（新）"))
                #expect(after.contains("取消评比资格"))
            }
        }

        @Test func aMemberCannotPublish() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                try await approveAll(app)
                let member = try await Browser.signedIn(app, "zhibu1", on: "/periods/2026Q3/results")
                #expect(try await member.post("/periods/2026Q3/publish", form: [:]).status == .forbidden)
                #expect(
                    try await member.get("/periods/2026Q3/results.csv").status == .notFound, "nothing out before 公布")
            }
        }

        @Test func aUnitReadsTheOpinionsAndFilesItsObjectionWhichTheOrganizerUpholds() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for unit in ["branch-1", "branch-3", "branch-4"] { try await api.approve(unit) }
                try await api.act("submit", on: "branch-2", as: "zhibu2")
                try await api.act("forward", on: "branch-2", as: "zuzhi")
                try await api.call(
                    .POST, "assessments/branch-2/opinions", as: "kaohe2",
                    json: ["item": "6.2", "text": "任务完成不够及时", "version": try await api.sheet("branch-2").version])
                try await api.act("review", on: "branch-2", as: "kaohe1")
                try await api.act("approve", on: "branch-2", as: "shuji")
                try await api.call(.POST, "publish", as: "zuzhi")

                let unit = try await Browser.signedIn(app, "zhibu2", on: "/periods/2026Q3/sheets/branch-2/feedback")
                let page = try await unit.get("/periods/2026Q3/sheets/branch-2/feedback")
                #expect(page.body.string.contains("任务完成不够及时"))
                let empty = try await unit.post("/periods/2026Q3/sheets/branch-2/objection", form: ["reason": "  "])
                #expect(empty.status == .unprocessableEntity)
                #expect(empty.body.string.contains("请写明申诉理由"))
                let filed = try await unit.post(
                    "/periods/2026Q3/sheets/branch-2/objection", form: ["reason": "任务延期经局领导同意"])
                #expect(filed.status == .seeOther)

                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q3/sheets/branch-2/feedback")
                let upheld = try await organizer.post(
                    "/periods/2026Q3/sheets/branch-2/objection/uphold", form: ["reason": "情况属实"])
                #expect(upheld.status == .seeOther)
                #expect(try await api.sheet("branch-2").state == "underReview")
            }
        }

        /// 办法 六 with 申诉: an upheld objection's whole life on the pages. While the branch is re-reviewed the board
        /// keeps it, marked 复核中, with its published score and rank; the organizer republishes from the results
        /// page; the objection records its outcome, before and after.
        @Test func 六_anUpheldObjectionIsReReviewedAndRepublishedAndRecordsItsOutcome() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for unit in ["branch-1", "branch-2", "branch-3", "branch-4"] { try await api.approve(unit) }
                try await api.call(.POST, "publish", as: "zuzhi")
                struct Row: Content { let unit: String; let total: Decimal; let rank: Int; let reviewing: Bool }
                let published = try await api.call(.GET, "results", as: "zhibu1").content.decode([Row].self)
                let before = try #require(published.first { $0.unit == "branch-2" })

                let unit = try await Browser.signedIn(app, "zhibu2", on: "/periods/2026Q3/sheets/branch-2/feedback")
                #expect(
                    try await unit.post(
                        "/periods/2026Q3/sheets/branch-2/objection", form: ["reason": "1.4 的任务延期经局领导同意"]
                    ).status == .seeOther)
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q3/sheets/branch-2/feedback")
                #expect(
                    try await organizer.post(
                        "/periods/2026Q3/sheets/branch-2/objection/uphold", form: ["reason": "情况属实，重新考核"]
                    ).status == .seeOther)

                // the board keeps the branch, its score and its rank, marked 复核中
                let during = try await api.call(.GET, "results", as: "zhibu1").content.decode([Row].self)
                #expect(during.count == 4)
                let reviewing = try #require(during.first { $0.unit == "branch-2" })
                #expect(reviewing.reviewing && reviewing.rank == before.rank && reviewing.total == before.total)
                let board = try await organizer.get("/periods/2026Q3/results").body.string
                #expect(board.contains("复核中"))
                #expect(!board.contains("确认公布复核结果"), "nothing to republish before the re-review is approved")

                // re-reviewed: the panel takes off the contested deduction, the review closes, the approver approves
                let contested = try #require(try await api.sheet("branch-2").entries.first { $0.rule == "1.4.a" })
                let withdrawn = try await api.call(
                    .DELETE,
                    "assessments/branch-2/entries/\(contested.id)?reason=%E7%BB%8F%E5%B1%80%E9%A2%86%E5%AF%BC%E5%90%8C%E6%84%8F",
                    as: "kaohe2")
                #expect(withdrawn.status == .noContent)
                #expect(try await api.act("review", on: "branch-2", as: "kaohe1").status == .ok)
                #expect(try await api.act("approve", on: "branch-2", as: "shuji").status == .ok)
                let ready = try await organizer.get("/periods/2026Q3/results").body.string
                #expect(ready.contains("确认公布复核结果"), "the organizer republishes from the results page")
                #expect(try await organizer.post("/periods/2026Q3/publish", form: [:]).status == .seeOther)

                let after = try await api.call(.GET, "results", as: "zhibu1").content.decode([Row].self)
                let republished = try #require(after.first { $0.unit == "branch-2" })
                #expect(!republished.reviewing && republished.total > before.total)
                let objection = try #require(try await Objection.query(on: app.db).first())
                #expect(objection.beforeTotal == "\(before.total)")
                #expect(objection.afterTotal == "\(republished.total)")
                let feedback = try await unit.get("/periods/2026Q3/sheets/branch-2/feedback").body.string
                #expect(feedback.contains("处理结果"))
                #expect(feedback.contains("复核后 \(republished.total) 分"))
            }
        }

        @Test func theSecretaryUploadsEvidenceAndABadFileIsToldBesideTheField() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let secretary = try await Browser.signedIn(
                    app, "zhibu1", on: "/periods/2026Q3/sheets/branch-1/feedback")
                let refused = try await secretary.upload(
                    "/periods/2026Q3/sheets/branch-1/evidence", field: "file",
                    filename: "tool.exe", data: Data("MZ".utf8))
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("class=\"field-error\" role=\"alert\">不接受 .exe 文件"))
                let accepted = try await secretary.upload(
                    "/periods/2026Q3/sheets/branch-1/evidence", field: "file",
                    filename: "支委会记录.txt", data: Data("第三季度支委会记录".utf8))
                #expect(accepted.status == .seeOther)
                let page = try await secretary.get("/periods/2026Q3/sheets/branch-1/feedback")
                #expect(page.body.string.contains("支委会记录.txt"))
                let other = try await Browser.signedIn(app, "zhibu2", on: "/")
                let evidence = try #require(try await Evidence.query(on: app.db).first())
                let download = try await other.get(
                    "/periods/2026Q3/sheets/branch-1/evidence/\(try evidence.requireID())")
                #expect(download.status == .notFound, "another branch never reads a draft's evidence")
            }
        }
    }
}
