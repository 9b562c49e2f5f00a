import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 10: every exit of a quarter the 办法 allows, through the API (`contracts/api.md`, "The quarter's exits").
    @Suite struct QuarterExitsTests {
        /// 办法 四(一) with 细则 2.4: a branch that never reports does not hold up the others. After its deadline the
        /// organizer forwards its draft, marked 未开展自查, with 2.4.a suggested to the panel.
        @Test func 四一_aSilentBranchIsForwardedAfterItsDeadlineAsUnreported() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                // before the deadline (the demo's falls a week after its first start), waiting is the rule
                let early = try await api.act("forward", on: "branch-2", as: "zuzhi")
                #expect(early.status == .conflict)
                #expect(early.body.string.contains("截止日"))

                try await setDeadlines(of: "2026Q3", selfReport: "2026-10-10", panelReview: "2026-10-15", on: app.db)
                #expect(
                    try await api.act("forward", on: "branch-2", as: "zhibu2").status == .forbidden,
                    "the organizer's step")
                let forwarded = try await api.act("forward", on: "branch-2", as: "zuzhi")
                #expect(forwarded.status == .ok)
                let sheet = try await api.sheet("branch-2")
                #expect(sheet.state == "underReview")
                #expect(!sheet.selfReported)
                #expect(sheet.suggestions.map(\.rule).contains("2.4.a"))
                #expect(try await api.act("forward", on: "branch-2", as: "zuzhi").status == .conflict, "taken twice")
                // the panel applies it, and the suggestion goes
                let applied = try await api.call(
                    .POST, "assessments/branch-2/entries", as: "kaohe2",
                    json: ["rule": "2.4.a", "note": "截止日前未报送自查结果"])
                #expect(applied.status == .created)
                #expect(!(try await api.sheet("branch-2").suggestions.map(\.rule).contains("2.4.a")))
            }
        }

        /// 办法 四(三): 审核 can send a sheet back to the panel with a reason, not only approve it.
        @Test func 四三_theApproverSendsASheetBackToThePanelWithAReason() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for (action, user) in [("submit", "zhibu1"), ("forward", "zuzhi"), ("review", "kaohe1")] {
                    #expect(try await api.act(action, on: "branch-1", as: user).status == .ok)
                }
                #expect(
                    try await api.act("sendBack", on: "branch-1", as: "shuji").status == .unprocessableEntity,
                    "no reason")
                #expect(try await api.act("sendBack", on: "branch-1", as: "zuzhi", reason: "再核").status == .forbidden)
                let sent = try await api.act("sendBack", on: "branch-1", as: "shuji", reason: "2.1 的扣分请再核对会议记录")
                #expect(sent.status == .ok)
                #expect(try await api.sheet("branch-1").state == "underReview")
                let event = try #require(
                    try await AuditEvent.query(on: app.db).filter(\.$action == "sheet.sendBack").first())
                #expect(event.after?.contains("2.1 的扣分请再核对会议记录") == true)
                #expect(
                    try await api.act("sendBack", on: "branch-1", as: "shuji", reason: "又").status == .conflict,
                    "taken twice")
                // the panel reviews again, and the approver approves
                #expect(try await api.act("review", on: "branch-1", as: "kaohe1").status == .ok)
                #expect(try await api.act("approve", on: "branch-1", as: "shuji").status == .ok)
            }
        }

        /// 办法 四(二): panel members work side by side. An opinion written on a sheet read before another member's
        /// change to another item is kept; only a change to the same item since it was read is a conflict.
        @Test func 四二_panelMembersWriteOpinionsOnDifferentItemsSideBySide() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for (action, user) in [("submit", "zhibu1"), ("forward", "zuzhi")] {
                    #expect(try await api.act(action, on: "branch-1", as: user).status == .ok)
                }
                let read = try await api.sheet("branch-1").version
                let first = try await api.call(
                    .POST, "assessments/branch-1/opinions", as: "kaohe1",
                    json: ["item": "2.1", "text": "会议记录齐全", "version": read])
                #expect(first.status == .ok)
                let second = try await api.call(
                    .POST, "assessments/branch-1/opinions", as: "kaohe2",
                    json: ["item": "2.2", "text": "学习日开展正常", "version": read])
                #expect(second.status == .ok, "another item changed since it was read: no conflict")
                let stale = try await api.call(
                    .POST, "assessments/branch-1/opinions", as: "kaohe2",
                    json: ["item": "2.1", "text": "覆盖", "version": read])
                #expect(stale.status == .conflict, "the same item changed since it was read")
                // an opinion emptied is still a change: a stale writer cannot bring it back unseen
                let now = try await api.sheet("branch-1").version
                #expect(
                    try await api.call(
                        .POST, "assessments/branch-1/opinions", as: "kaohe1",
                        json: ["item": "2.2", "text": "", "version": now]
                    ).status == .ok)
                #expect(
                    try await api.call(
                        .POST, "assessments/branch-1/opinions", as: "kaohe2",
                        json: ["item": "2.2", "text": "复活", "version": now]
                    ).status == .conflict)
                let opinions = try await api.sheet("branch-1").opinions
                #expect(opinions == ["2.1": "会议记录齐全"])
                // a made-up future version is refused
                #expect(
                    try await api.call(
                        .POST, "assessments/branch-1/opinions", as: "kaohe1",
                        json: ["item": "2.3", "text": "x", "version": 9999]
                    ).status == .conflict)
            }
        }

        /// Two panel members writing at the same moment on different items: both kept.
        @Test func 四二_twoPanelMembersAtOnceOnDifferentItemsBothSucceed() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for (action, user) in [("submit", "zhibu1"), ("forward", "zuzhi")] {
                    #expect(try await api.act(action, on: "branch-1", as: user).status == .ok)
                }
                let read = try await api.sheet("branch-1").version
                let tokens = [try await api.token("kaohe1"), try await api.token("kaohe2")]
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for (index, item) in ["2.1", "2.2"].enumerated() {
                        group.addTask {
                            var status = HTTPStatus.internalServerError
                            try await app.testing().test(
                                .POST, "/api/v1/periods/2026Q3/assessments/branch-1/opinions",
                                beforeRequest: { req in
                                    req.headers.bearerAuthorization = .init(token: tokens[index])
                                    try req.content.encode(
                                        OpinionBody(item: item, text: "意见 \(item)", version: read), as: .json)
                                }
                            ) { status = $0.status }
                            return status
                        }
                    }
                    return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
                }
                #expect(statuses == [.ok, .ok])
                #expect(try await api.sheet("branch-1").opinions.count == 2)
            }
        }

        struct OpinionBody: Content { let item: String; let text: String; let version: Int }

        /// 办法 四(一): every deduction and bonus is explained; 三(二): only the unit finds its own problems.
        @Test func 四一_anEntryWithoutItsExplanationIsRefusedNamingNote() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for note in [nil, "", "   "] as [String?] {
                    var body: [String: Any] = ["rule": "1.1.a"]
                    body["note"] = note
                    let res = try await api.call(.POST, "assessments/branch-1/entries", as: "zhibu1", json: body)
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.body.string.contains("note"))
                }
                for (action, user) in [("submit", "zhibu1"), ("forward", "zuzhi")] {
                    #expect(try await api.act(action, on: "branch-1", as: user).status == .ok)
                }
                let selfFound = try await api.call(
                    .POST, "assessments/branch-1/entries", as: "kaohe1",
                    json: ["rule": "1.1.a", "note": "检查发现", "selfFound": true])
                #expect(selfFound.status == .unprocessableEntity)
                #expect(selfFound.body.string.contains("selfFound"))
            }
        }

        struct EntryDetail: Content {
            let id: UUID
            let rule: String
            let source: String?
            let reportedOn: String?
            let mitigationDecision: String?
            let mitigationDecisionReason: String?
        }

        /// 办法 三(二): 从轻/不予扣分 is the unit's request; the panel confirms or refuses it with a reason, and a
        /// refused mitigation is deducted in full.
        @Test func 三二_thePanelConfirmsOrRefusesAUnitsMitigationWithAReason() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                // the demo's branch-3 asked for 从轻扣分 on 2.8.a (7月党费迟交)
                let asked = try #require(try await api.sheet("branch-3").entries.first { $0.rule == "2.8.a" })
                let path = "assessments/branch-3/entries/\(asked.id)/mitigation"
                #expect(
                    try await api.call(.POST, path, as: "zhibu3", json: ["decision": "confirmed", "reason": "自己认可"])
                        .status == .forbidden)
                for (action, user) in [("submit", "zhibu3"), ("forward", "zuzhi")] {
                    #expect(try await api.act(action, on: "branch-3", as: user).status == .ok)
                }
                // Asked and not yet ruled on, the problem counts in full (三(二): it takes effect once accepted).
                let askedScore = try await api.sheet("branch-3").score.total
                #expect(
                    try await api.call(.POST, path, as: "kaohe2", json: ["decision": "refused"]).status
                        == .unprocessableEntity, "no reason")
                #expect(
                    try await api.call(.POST, path, as: "kaohe2", json: ["decision": "maybe", "reason": "x"]).status
                        == .unprocessableEntity)
                let refused = try await api.call(
                    .POST, path, as: "kaohe2", json: ["decision": "refused", "reason": "迟交两次，不属主动纠正"])
                #expect(refused.status == .ok)
                let decided = try refused.content.decode(EntryDetail.self)
                #expect(decided.mitigationDecision == "refused" && decided.mitigationDecisionReason == "迟交两次，不属主动纠正")
                #expect(
                    try await api.sheet("branch-3").score.total == askedScore,
                    "a refused mitigation is deducted in full")
                #expect(
                    try await api.call(.POST, path, as: "kaohe1", json: ["decision": "confirmed", "reason": "复核属实"])
                        .status == .ok)
                #expect(
                    try await api.sheet("branch-3").score.total > askedScore, "a confirmed mitigation deducts lightly")
                // an entry that asked for nothing has nothing to decide
                let plain = try await api.call(
                    .POST, "assessments/branch-3/entries", as: "kaohe2",
                    json: ["rule": "1.1.a", "note": "检查发现"]
                ).content.decode(EntryDetail.self)
                #expect(
                    try await api.call(
                        .POST, "assessments/branch-3/entries/\(plain.id)/mitigation", as: "kaohe2",
                        json: ["decision": "confirmed", "reason": "x"]
                    ).status == .conflict)
            }
        }

        /// 办法 五: an entry names where its finding comes from, with or without a file; 三(二): a larger problem
        /// the unit found itself records when it was reported to the 总支书记.
        @Test func 五_anEntryCarriesItsSourceAndALargerProblemItsReport() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let sourced = try await api.call(
                    .POST, "assessments/branch-1/entries", as: "zhibu1",
                    json: ["rule": "1.1.a", "note": "局领导反馈", "source": "bureauLeader"])
                #expect(sourced.status == .created)
                #expect(try sourced.content.decode(EntryDetail.self).source == "bureauLeader")
                let unknown = try await api.call(
                    .POST, "assessments/branch-1/entries", as: "zhibu1",
                    json: ["rule": "1.1.a", "note": "x", "source": "rumour"])
                #expect(unknown.status == .unprocessableEntity && unknown.body.string.contains("source"))

                let reported = try await api.call(
                    .POST, "assessments/branch-1/entries", as: "zhibu1",
                    json: [
                        "rule": "2.8.a", "count": 1, "note": "党费迟交", "selfFound": true, "corrected": true,
                        "mitigation": "reduced", "reportedOn": "2026-09-20",
                    ])
                #expect(reported.status == .created)
                #expect(try reported.content.decode(EntryDetail.self).reportedOn == "2026-09-20")
                let notSelfFound = try await api.call(
                    .POST, "assessments/branch-1/entries", as: "zhibu1",
                    json: ["rule": "2.8.a", "count": 1, "note": "x", "reportedOn": "2026-09-20"])
                #expect(notSelfFound.status == .unprocessableEntity && notSelfFound.body.string.contains("reportedOn"))
                let future = try await api.call(
                    .POST, "assessments/branch-1/entries", as: "zhibu1",
                    json: ["rule": "2.8.a", "count": 1, "note": "x", "selfFound": true, "reportedOn": "2999-01-01"])
                #expect(future.status == .unprocessableEntity)
            }
        }

        /// A Chinese input method types full-width digits: ３ is three.
        @Test func fullWidthDigitsAreNumbers() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let before = try await api.sheet("branch-4").entries.count
                let secretary = try await Browser.signedIn(app, "zhibu4", on: "/periods/2026Q3/sheets/branch-4")
                let added = try await secretary.post(
                    "/periods/2026Q3/sheets/branch-4/entries",
                    form: ["rule": "2.1.a", "count": "３", "note": "支委会少开三次"])
                #expect(added.status == .seeOther)
                let entries = try await api.call(.GET, "assessments/branch-4", as: "zhibu4").body.string
                #expect(try await api.sheet("branch-4").entries.count == before + 1)
                #expect(entries.contains(#""count":3"#))
                // dates too: a quarter opened with its deadline typed in full width
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods")
                let opened = try await organizer.post(
                    "/periods", form: ["quarter": "2026Q4", "selfDeadline": "２０２７－０１－１２"])
                #expect(opened.status == .seeOther)
                let q4 = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q4").first())
                #expect(q4.selfDeadline == "2027-01-12")
            }
        }

        /// The panel's deadline (办法 四(四)) is recorded like the unit's: a review closed after it is late.
        @Test func 四四_aReviewClosedAfterThePanelsDeadlineIsLate() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for (action, user) in [("submit", "zhibu1"), ("forward", "zuzhi"), ("review", "kaohe1")] {
                    #expect(try await api.act(action, on: "branch-1", as: user).status == .ok)
                }
                #expect(!(try await api.sheet("branch-1").reviewLate), "the demo's panel deadline is two weeks away")
                try await setDeadlines(of: "2026Q3", selfReport: "2026-10-10", panelReview: "2026-10-15", on: app.db)
                for (action, user) in [("submit", "zhibu3"), ("forward", "zuzhi"), ("review", "kaohe1")] {
                    #expect(try await api.act(action, on: "branch-3", as: user).status == .ok)
                }
                #expect(try await api.sheet("branch-3").reviewLate)
            }
        }

        /// The demo's deadlines fall after the day it is first started, so 已逾期 means something in a trial.
        @Test func theDemosDeadlinesFallAfterItsFirstStart() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
                let today = BureauCalendar.today()
                #expect(try #require(CalendarDay(period.selfDeadline)) > today)
                #expect(try #require(CalendarDay(period.panelDeadline)) > CalendarDay(period.selfDeadline)!)
            }
        }
    }
}
