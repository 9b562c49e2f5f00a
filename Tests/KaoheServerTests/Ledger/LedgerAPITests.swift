import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 活动台账 (api.md `…/units/{unit}/activities`) and the deductions its records imply on the sheet (细则 2.1).
    @Suite struct LedgerAPITests {
        struct Record: Content {
            let id: UUID; let unit: String; let type: String; let date: String; let topic: String
            let attendees: [String]; let absent: [String]; let excused: [String]; let createdBy: String
        }

        /// 王二 and 褚立 attend, 卫平 is absent (第二支部第一党小组's members).
        static var meeting: [String: Any] {
            [
                "type": "committeeMeeting", "date": "2026-09-08", "topic": "研究第三季度考核自查",
                "attendees": ["branch-2-group-1-member-1", "branch-2-group-1-member-2"],
                "absent": ["branch-2-group-1-member-3"],
            ]
        }

        @Test func theSecretaryRecordsAMeetingWhichTheUnitAndThoseAboveRead() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                func audited() async throws -> Int {
                    try await AuditEvent.query(on: app.db).filter(\.$action == "activity.record").filter(
                        \.$subject == "unit:branch-2"
                    ).count()
                }
                let auditedBefore = try await audited()
                let created = try await api.call(
                    .POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: Self.meeting)
                #expect(created.status == .created)
                let record = try created.content.decode(Record.self)
                #expect(record.unit == "branch-2" && record.type == "committeeMeeting" && record.createdBy == "zhibu2")
                #expect(record.attendees == ["branch-2-group-1-member-1", "branch-2-group-1-member-2"])
                #expect(record.absent == ["branch-2-group-1-member-3"] && record.excused.isEmpty)

                for reader in ["zhibu2", "zuzhi", "shuji"] {
                    let list = try await api.call(.GET, "/api/v1/units/branch-2/activities?year=2026", as: reader)
                    #expect(list.status == .ok, "\(reader)")
                    #expect(
                        try list.content.decode([Record].self).filter { $0.date == "2026-09-08" }.map(\.id) == [
                            record.id
                        ], "\(reader)")
                }
                let otherYear = try await api.call(.GET, "/api/v1/units/branch-2/activities?year=2025", as: "zhibu2")
                #expect(try otherYear.content.decode([Record].self).isEmpty)
                #expect(try await audited() == auditedBefore + 1, "each record audited")
            }
        }

        @Test func onlyTheUnitsOwnSecretaryOrGroupLeaderRecords() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                func status(_ method: HTTPMethod, _ unit: String, as user: String, json: [String: Any]? = nil)
                    async throws -> HTTPStatus
                {
                    try await api.call(method, "/api/v1/units/\(unit)/activities", as: user, json: json).status
                }
                var groupMeeting = Self.meeting
                groupMeeting["type"] = "groupMeeting"
                groupMeeting["attendees"] = ["branch-1-group-1-member-1"]
                groupMeeting["absent"] = []
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

        /// A member's record is theirs and their units' in the API as on the page (Policy.mayReadLedger): a fellow
        /// member's role, held on their group, does not reach it.
        @Test func aMembersRecordIsReadByThemAndThoseAboveNotByAFellowMember() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                func status(_ path: String, as user: String) async throws -> HTTPStatus {
                    try await api.call(.GET, "/api/v1/units/\(path)", as: user).status
                }
                let own = "branch-1-group-1-member-3", fellow = "branch-1-group-1-member-1"
                let readers = [
                    try await status("\(own)/activities", as: "dangyuan1"),
                    try await status("\(fellow)/activities", as: "xiaozu1"),
                    try await status("\(fellow)/activities", as: "zhibu1"),
                ]
                #expect(readers == [.ok, .ok, .ok])
                var fellows: [HTTPStatus] = []
                for ledger in ["activities", "documents", "dues"] {
                    fellows.append(try await status("\(fellow)/\(ledger)", as: "dangyuan1"))
                }
                #expect(fellows == [.forbidden, .forbidden, .forbidden])
            }
        }

        /// Dues are a branch's, kept by its secretary: a group leader who records the group's activities may not
        /// import dues for it, whichever route the file comes by.
        @Test func aGroupLeaderImportsNoDues() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await Browser.signedIn(app, "xiaozu1", on: "/units/branch-1-group-1/ledger")
                let csv = Data("month,member,amount,paidOn\n2026-01,branch-1-group-1-member-1,10,2026-01-05\n".utf8)
                let page = try await browser.upload(
                    "/units/branch-1-group-1/ledger/import", field: "file", filename: "dues.csv", data: csv,
                    fields: ["kind": "dues"])
                #expect(page.status == .forbidden)
                let kept = try await DuesRecord.query(on: app.db).filter(\.$unitCode == "branch-1-group-1").count()
                #expect(kept == 0)
            }
        }

        @Test func aBadRecordIsRefusedNamingTheField() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let cases: [(String, Any, String)] = [
                    ("type", "picnic", "type"), ("date", "2026-9-8", "date"), ("date", "2999-01-01", "date"),
                    ("topic", "  ", "topic"), ("attendees", [String(repeating: "名", count: 51)], "attendees"),
                    // People are members of the unit: a name, a stranger's code, another branch's member, a member twice.
                    ("attendees", ["王二"], "attendees"), ("attendees", ["nobody"], "attendees"),
                    ("absent", ["branch-1-group-1-member-1"], "absent"),
                    ("excused", ["branch-2-group-1-member-1"], "absent"),
                ]
                for (field, value, named) in cases {
                    var body = Self.meeting
                    body[field] = value
                    let refused = try await api.call(
                        .POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: body)
                    #expect(refused.status == .unprocessableEntity, "\(field)")
                    #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix(named + ":"), "\(field)")
                }
                var stranger = Self.meeting
                stranger["attendees"] = ["branch-2-group-1-member-1", "nobody"]
                let named = try await api.call(.POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: stranger)
                #expect(try named.content.decode(ErrorBody.self).reason.contains("nobody"), "the stranger is named")
                let badYear = try await api.call(.GET, "/api/v1/units/branch-2/activities?year=twenty", as: "zhibu2")
                #expect(badYear.status == .unprocessableEntity)
                let kept = try await Activity.query(on: app.db).filter(\.$unitCode == "branch-2").filter(
                    \.$topic == "研究第三季度考核自查"
                ).count()
                #expect(kept == 0, "nothing refused is kept")
            }
        }

        static var report: [String: Any] { ["type": "infoReport", "date": "2026-09-25", "topic": "第三季度党建工作信息"] }

        @Test func theLedgersShortfallIsSuggestedOnTheSheetUntilEntered() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                // The demo's 第二支部 skipped two Wednesday study days in August and sent no report in the quarter.
                let second = try await api.sheet("branch-2").suggestions
                #expect(second.map(\.rule) == ["2.2.b", "2.10.a"] && second.map(\.count) == [2, 1])
                #expect(second.first?.reason.contains("学习日8月12日那周 0 次，应不少于 1 次") == true)
                // 第四支部: its second group held no 组织活动 (counted per group), and no dues went over in September.
                let fourth = try await api.sheet("branch-4").suggestions
                #expect(fourth.map(\.rule) == ["2.1.a", "2.8.a"] && fourth.map(\.count) == [1, 1])
                #expect(fourth.first?.reason.contains("机关第四党支部第二党小组 组织活动2026年第三季度 0 次") == true)
                // The report recorded, its suggestion goes.
                try await api.call(.POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: Self.report)
                #expect(try await api.sheet("branch-2").suggestions.map(\.rule) == ["2.2.b"])
                // 第一支部 held no 支委会 in the quarter but twelve a year are counted over the year: its pace, not yet a
                // deduction (and its secretary entered 2.1.a × 3 anyway). 第三支部, two of three: the same. 第一支部's
                // 冯静 paid no dues in August (细则 2.8).
                let first = try await api.sheet("branch-1").suggestions
                #expect(first.map(\.rule) == ["2.8.a"] && first.first?.reason == "党费：8月 冯静未交")
                #expect(try await api.sheet("branch-3").suggestions.isEmpty)
            }
        }

        /// 部分记账: one meeting recorded mid-quarter must not suggest a quarter's worth of deductions.
        @Test func aLedgerStartedMidQuarterSuggestsNothingUntilMarkedComplete() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let units = ["branch-2", "branch-2-group-1", "branch-2-group-2"]
                try await Activity.query(on: app.db).filter(\.$unitCode ~~ units).delete()
                try await LedgerCompletion.query(on: app.db).filter(\.$unitCode == "branch-2").delete()
                try await DuesRecord.query(on: app.db).filter(\.$unitCode == "branch-2").delete()
                try await DuesPaymentRecord.query(on: app.db).filter(\.$unitCode == "branch-2").delete()
                // Deleted behind the writes' backs: counted again, as `kaohe ledger check --repair` would.
                try await app.db.writeTransaction { try await KeptLedgerYear.recount(units, years: [2026], on: $0) }
                #expect(
                    try await api.sheet("branch-2").suggestions.isEmpty,
                    "a unit that keeps no ledger is offered nothing")
                try await api.call(.POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: Self.meeting)
                #expect(
                    try await api.sheet("branch-2").suggestions.isEmpty, "the quarter the ledger began in is partial")

                for bad in ["2026Q5", "Q3", "2999Q1"] {
                    let refused = try await api.call(
                        .POST, "/api/v1/units/branch-2/ledger/complete", as: "zhibu2", json: ["quarter": bad])
                    #expect(refused.status == .unprocessableEntity, "\(bad)")
                    #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix("quarter:"), "\(bad)")
                }
                let other = try await api.call(
                    .POST, "/api/v1/units/branch-2/ledger/complete", as: "zhibu1", json: ["quarter": "2026Q3"])
                #expect(other.status == .forbidden, "another branch's secretary")
                let marksBefore = try await AuditEvent.query(on: app.db).filter(\.$action == "ledger.complete").count()
                for _ in 1...2 {
                    let marked = try await api.call(
                        .POST, "/api/v1/units/branch-2/ledger/complete", as: "zhibu2", json: ["quarter": "2026Q3"])
                    #expect(marked.status == .ok, "marking twice is no error")
                }
                let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "ledger.complete").count()
                #expect(audited == marksBefore + 1, "and leaves one mark")
                let suggested = try await api.sheet("branch-2").suggestions
                #expect(suggested.map(\.rule) == ["2.1.a", "2.2.b", "2.8.a", "2.10.a"])
                #expect(
                    suggested.map(\.count) == [2, 14, 3, 1], "each group's 组织活动, 14 Wednesdays, 3 months, 1 report")
            }
        }

        @Test func twoSecretariesMarkingAtOnceLeaveOneMark() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let permit = try await ledgerPermit("zhibu2", "branch-2", on: app.db)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 1...8 {
                        group.addTask {
                            try await Ledger.markComplete(Quarter(code: "2026Q3")!, by: permit, on: app.db)
                        }
                    }
                    try await group.waitForAll()
                }
                let marks = try await LedgerCompletion.query(on: app.db).filter(\.$unitCode == "branch-2").filter(
                    \.$quarter == "2026Q3"
                ).count()
                #expect(marks == 1)
            }
        }

        @Test func aMistakenRecordIsWithdrawnWithItsReasonAndCountsNoMore() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let record = try await api.call(
                    .POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: Self.report
                )
                .content.decode(Record.self)
                let suggestedBefore = try await api.sheet("branch-2").suggestions
                #expect(suggestedBefore.map(\.rule) == ["2.2.b"], "the quarter's report recorded")

                let path = "/api/v1/units/branch-2/activities/\(record.id)"
                let bare = try await api.call(.DELETE, path, as: "zhibu2")
                #expect(bare.status == .unprocessableEntity)
                #expect(try bare.content.decode(ErrorBody.self).reason.hasPrefix("reason:"))
                let elsewhere = try await api.call(
                    .DELETE, "/api/v1/units/branch-3/activities/\(record.id)?reason=x", as: "zhibu3")
                #expect(elsewhere.status == .notFound, "a record is withdrawn only through its own unit")
                let withdrawn = try await api.call(
                    .DELETE, path + "?reason=%E6%97%A5%E6%9C%9F%E8%AE%B0%E9%94%99", as: "zhibu2")
                #expect(withdrawn.status == .noContent)
                let again = try await api.call(.DELETE, path + "?reason=x", as: "zhibu2")
                #expect(again.status == .notFound)

                let listed = try await api.call(.GET, "/api/v1/units/branch-2/activities", as: "zhibu2").content.decode(
                    [Record].self)
                #expect(!listed.contains { $0.id == record.id }, "what was withdrawn is not what the unit held")
                let kept = try await Activity.find(record.id, on: app.db)
                #expect(kept?.withdrawn == true && kept?.withdrawnReason == "日期记错" && kept?.withdrawnBy == "zhibu2")
                let suggestedAfter = try await api.sheet("branch-2").suggestions
                #expect(suggestedAfter.map(\.rule) == ["2.2.b", "2.10.a"], "no report again")
                let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "activity.withdraw").count()
                #expect(audited == 1)
            }
        }

        /// Two withdrawals of one record at the same moment: one is done, one audit event.
        @Test func twoWithdrawalsAtOnceWithdrawTheRecordOnce() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let record = try await api.call(
                    .POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: Self.meeting
                )
                .content.decode(Record.self)
                let before = try await AuditEvent.query(on: app.db).filter(\.$action == "activity.withdraw").count()
                let path = "/api/v1/units/branch-2/activities/\(record.id)?reason=%E8%AF%AF%E5%BD%95"
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for _ in 1...4 {
                        var caller = api
                        group.addTask { try await caller.call(.DELETE, path, as: "zhibu2").status }
                    }
                    return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .noContent }.count == 1, "\(statuses)")
                #expect(statuses.allSatisfy { $0 == .noContent || $0 == .notFound }, "\(statuses)")
                let after = try await AuditEvent.query(on: app.db).filter(\.$action == "activity.withdraw").count()
                #expect(after == before + 1)
            }
        }

        @Test func anAcceptedSuggestionCountsAsEntered() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let suggestion = try #require(try await api.sheet("branch-2").suggestions.first)
                let added = try await api.call(
                    .POST, "assessments/branch-2/entries", as: "zhibu2",
                    json: ["rule": suggestion.rule, "count": suggestion.count, "note": suggestion.reason])
                #expect(added.status == .created)
                let left = try await api.sheet("branch-2").suggestions
                #expect(left.map(\.rule) == ["2.10.a"])
            }
        }

        /// 细则 1.1 (member.yaml): 无故缺席党员大会、党小组会、党课或组织活动的每次 — the ledger names who was absent.
        @Test func aMembersAbsenceWithoutLeaveIsSuggestedOnTheirOwnSheet() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                // The demo's 刘党员 missed the third quarter's 党员大会 without leave.
                let own = try await api.sheet("branch-1-group-1-member-3", as: "dangyuan1").suggestions
                #expect(own.map(\.rule) == ["1.1.a"] && own.first?.count == 1)
                #expect(own.first?.reason.contains("党员大会 2026-07-08") == true)
                // A member on leave is not counted: 冯静 (branch-1-group-2-member-3) was on leave in the second quarter,
                // and nobody else missed anything in the third.
                let excused = try await Activity.query(on: app.db).filter(\.$excused == "branch-1-group-2-member-3")
                    .count()
                #expect(excused > 0)
                // Two more absences, one with leave: only the one without counts.
                var meeting = Self.meeting
                meeting["type"] = "partyLecture"
                meeting["attendees"] = []
                meeting["absent"] = ["branch-1-group-1-member-3"]
                meeting["excused"] = ["branch-1-group-1-member-2"]
                let recorded = try await api.call(
                    .POST, "/api/v1/units/branch-1/activities", as: "zhibu1", json: meeting)
                #expect(recorded.status == .created)
                let after = try await api.sheet("branch-1-group-1-member-3", as: "dangyuan1").suggestions
                #expect(after.first?.count == 2)
            }
        }
    }
}

extension ServerTests.LedgerAPITests {
    /// Records kept before people were members keep their people: a name becomes the code of the unit's member so
    /// named; a name no member has (or two share) stays as written.
    @Test func namesRecordedBeforeBecomeTheMembersCodes() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            let old = Activity()
            old.unitCode = "branch-1"
            old.type = .memberMeeting
            old.date = "2026-03-03"
            old.topic = "旧记录"
            old.attendees = "张一\n陈小组\n外来人"
            old.absent = "刘党员"
            old.excused = ""
            old.createdBy = "zhibu1"
            old.withdrawn = false
            try await old.create(on: app.db)
            try await M022_ActivityPeople.recode(on: app.db)
            let kept = try #require(try await Activity.find(old.id, on: app.db))
            #expect(kept.attendees == "branch-1-group-1-member-1\nbranch-1-group-1-member-2\n外来人")
            #expect(kept.absent == "branch-1-group-1-member-3")
        }
    }
}

extension ServerTests.LedgerAPITests {
    /// 全年不少于N次: an earlier quarter's sheet shows the year's pace; the fourth quarter's suggests the shortfall.
    @Test func anEarlierQuartersSheetShowsTheYearsPace() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            var api = QuarterAPI(app)
            struct SheetJSON: Decodable {
                struct Pace: Decodable {
                    let activity: String; let span: String; let needed: Int; let recorded: Int; let behind: Bool;
                    let text: String
                }
                let pace: [Pace]
            }
            let sheet = try await api.call(.GET, "assessments/branch-1", as: "zhibu1").content.decode(SheetJSON.self)
            let member = try #require(sheet.pace.first { $0.activity == "memberMeeting" })
            #expect(member.span == "year" && member.text == "党员大会 全年需 4 次，已 3 次" && !member.behind)
            let committee = try #require(sheet.pace.first { $0.activity == "committeeMeeting" })
            #expect(committee.recorded == 6 && committee.behind, "none in the third quarter")
            let secretary = try await Browser.signedIn(app, "zhibu1", on: "/periods/2026Q3/sheets/branch-1")
            let page = try await secretary.get("/periods/2026Q3/sheets/branch-1").body.string
            #expect(page.contains("台账进度") && page.contains("<li class=\"behind\">支委会 全年需 12 次，已 6 次（落后）</li>"))
        }
    }
}

extension ServerTests.LedgerAPITests {
    func importCSV(
        _ app: Application, _ api: inout QuarterAPI, _ data: Data, as user: String = "zhibu2",
        unit: String = "branch-2", of kind: String = "activities"
    ) async throws -> TestingHTTPResponse {
        let token = try await api.token(user)
        var captured: TestingHTTPResponse?
        try await app.testing().test(
            .POST, "/api/v1/units/\(unit)/\(kind)/import",
            beforeRequest: { req in
                req.headers.bearerAuthorization = .init(token: token)
                req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                req.body = ByteBuffer(data: data)
            }
        ) { captured = $0 }
        return try #require(captured)
    }

    struct ImportProblems: Decodable {
        struct Problem: Decodable, Equatable { let row: Int; let field: String; let message: String }
        let problems: [Problem]
    }

    /// Past records from Excel/WPS (UTF-8 or GBK), checked row by row, all or nothing.
    @Test func pastRecordsAreImportedAllOrNothingEachProblemNamedByRowAndField() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            var api = QuarterAPI(app)
            let before = try await Activity.query(on: app.db).filter(\.$unitCode == "branch-2").count()
            let auditedBefore = try await AuditEvent.query(on: app.db).filter(\.$action == "activity.record").filter(
                \.$subject == "unit:branch-2"
            ).count()
            let bad = """
                type,date,topic,attendees,absent
                支委会,2026-03-03,研究一季度工作,branch-2-group-1-member-1;branch-2-group-1-member-2,
                野餐,2026-03-04,春游,,
                partyLecture,2026-13-01,党课,,
                branch Activity,2026-03-05,,,
                memberMeeting,2026-03-06,党员大会,branch-1-group-1-member-1,
                """
            let refused = try await importCSV(app, &api, Data(bad.utf8))
            #expect(refused.status == .unprocessableEntity)
            let problems = try refused.content.decode(ImportProblems.self).problems
            #expect(
                problems.map(\.row) == [3, 4, 5, 6] && problems.map(\.field) == ["type", "date", "type", "attendees"])
            #expect(problems.last?.message.contains("branch-1-group-1-member-1") == true)
            #expect(
                try await Activity.query(on: app.db).filter(\.$unitCode == "branch-2").count() == before,
                "nothing imported")

            let header = try await importCSV(app, &api, Data("类型,日期\n支委会,2026-03-03\n".utf8))
            #expect(try header.content.decode(ImportProblems.self).problems.first?.field == "header")

            // GBK, as Chinese Excel saves it, with CRLF and a quoted topic.
            let good =
                "type,date,topic,attendees,absent\r\n支委会,2026-03-03,\"研究一季度工作，含“三会一课”\",branch-2-group-1-member-1；branch-2-group-1-member-2,branch-2-group-1-member-3\r\nvisit,2026-03-10,走访困难党员,,\r\n"
            let gbk = try #require(good.data(using: CSVTable.gb18030))
            let imported = try await importCSV(app, &api, gbk)
            #expect(imported.status == .ok && imported.body.string == #"{"imported":2}"#)
            let kept = try #require(try await Activity.query(on: app.db).filter(\.$topic == "研究一季度工作，含“三会一课”").first())
            #expect(
                kept.attendees == "branch-2-group-1-member-1\nbranch-2-group-1-member-2"
                    && kept.absent == "branch-2-group-1-member-3")
            let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "activity.record").filter(
                \.$subject == "unit:branch-2"
            ).count()
            #expect(audited == auditedBefore + 2, "each imported record audited")
            #expect(try await importCSV(app, &api, gbk, as: "zhibu1").status == .forbidden)
        }
    }
}
