import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests.LedgerAPITests {
    typealias Problem = ImportProblems.Problem

    /// 2.8's dues from a spreadsheet, a row per member per month: checked row by row, all or nothing, and a month
    /// the secretary already kept is never overwritten.
    @Test func pastDuesAreImportedMonthByMonthAndARecordedMonthIsNotOverwritten() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            var api = QuarterAPI(app)
            try await DuesRecord.query(on: app.db).filter(\.$unitCode == "branch-2").filter(\.$month < "2026-03")
                .delete()
            try await DuesPaymentRecord.query(on: app.db).filter(\.$unitCode == "branch-2").filter(\.$month < "2026-03")
                .delete()
            let member = (1...3).map { "branch-2-group-1-member-\($0)" }
            let bad = """
                month,member,amount,paidOn,signed,handedOverOn
                2026-01,\(member[0]),50,2026-01-05,是,2026-01-12
                2026-13,\(member[0]),50,2026-01-05,是,
                2026-01,\(member[1]),-5,2026-01-05,是,
                2026-01,branch-1-group-1-member-1,50,2026-01-05,是,
                2026-01,\(member[0]),50,2026-01-06,是,
                2026-01,\(member[2]),50,2999-01-01,是,
                2026-01,\(member[2]),50,2026-01-05,也许,
                2026-01,\(member[2]),50,2026-01-05,是,2026-01-13
                2026-03,\(member[2]),50,2026-03-05,是,
                """
            let before = try await AuditEvent.query(on: app.db).filter(\.$action == "dues.record").count()
            let refused = try await importCSV(app, &api, Data(bad.utf8), of: "dues")
            #expect(refused.status == .unprocessableEntity)
            let problems = try refused.content.decode(ImportProblems.self).problems
            #expect(problems.map(\.row) == [3, 4, 5, 6, 7, 8, 9, 10])
            #expect(
                problems.map(\.field) == [
                    "month", "amount", "member", "member", "paidOn", "signed", "handedOverOn", "month",
                ])
            #expect(problems.last?.message.contains("2026-03 的党费已登记") == true, "a kept month is not overwritten")
            #expect(
                try await DuesRecord.query(on: app.db).filter(\.$unitCode == "branch-2").filter(\.$month == "2026-01")
                    .count() == 0)
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "dues.record").count() == before,
                "nothing stored")

            // GBK, as Chinese Excel saves it; headers in any case.
            let good =
                "Month,Member,Amount,PaidOn,Signed,HandedOverOn\r\n"
                + "2026-01,\(member[0]),50,2026-01-05,是,2026-01-12\r\n2026-01,\(member[1]),50,2026-01-06,否,\r\n"
                + "2026-02,\(member[0]),50,2026-02-05,是,2026-02-20\r\n"
            let imported = try await importCSV(app, &api, try #require(good.data(using: CSVTable.gb18030)), of: "dues")
            #expect(imported.status == .ok && imported.body.string == #"{"imported":3}"#)
            let months = try await DuesLedger.records(of: ["branch-2"], year: 2026, on: app.db).filter {
                $0.0.month < "2026-03"
            }
            #expect(
                months.map(\.0.month) == ["2026-01", "2026-02"]
                    && months.map(\.0.handedOverOn) == ["2026-01-12", "2026-02-20"])
            #expect(Set(months.first?.1.map(\.signed) ?? []) == [false, true] && months.map(\.0.version) == [1, 1])
            #expect(
                try await AuditEvent.query(on: app.db).filter(\.$action == "dues.record").count() == before + 2,
                "one event a month")
            // What the months lack is on the first quarter's sheet, as if kept by hand: 党费证 unsigned, February late.
            let book = try await LedgerBook.read(for: "branch-2", year: 2026, on: app.db)
            let findings = DuesCheck.findings(
                book.dues, members: Array(book.members.keys), duesDay: 15, asOf: CalendarDay("2026-03-31")!
            )
            .filter { $0.month < "2026-03" }.map(\.kind)
            #expect(findings.contains(.unsigned) && findings.contains(.lateHandover) && findings.contains(.unpaid))

            #expect(try await importCSV(app, &api, Data(good.utf8), as: "zhibu1", of: "dues").status == .forbidden)
            #expect(
                try await importCSV(app, &api, Data(good.utf8), as: "xiaozu1", unit: "branch-1-group-1", of: "dues")
                    .status == .forbidden)
        }
    }

    /// 2.3's plans from a spreadsheet: kind by its code or Chinese name, one of each a year.
    @Test func pastPlansAreImportedByTheirChineseNamesOneOfEachKindAYear() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            var api = QuarterAPI(app)
            try await UnitDocument.query(on: app.db).filter(\.$unitCode == "branch-2").filter(\.$year == 2025).delete()
            let bad = """
                kind,year,submittedOn,title
                工作计划,2025,2025-01-20,2025年党支部工作计划
                诗歌,2025,2025-01-20,
                学习教育计划,1999,2025-01-20,
                凝聚力工程计划,2025,2025-13-01,
                workPlan,2025,2025-01-22,又一份
                workPlan,2026,2026-01-20,
                """
            let refused = try await importCSV(app, &api, Data(bad.utf8), of: "documents")
            #expect(refused.status == .unprocessableEntity)
            let problems = try refused.content.decode(ImportProblems.self).problems
            #expect(
                problems.map(\.row) == [3, 4, 5, 6, 7]
                    && problems.map(\.field) == ["kind", "year", "submittedOn", "kind", "kind"])
            #expect(
                try await UnitDocument.query(on: app.db).filter(\.$unitCode == "branch-2").filter(\.$year == 2025)
                    .count() == 0)

            let good =
                "kind,year,submittedOn,title\n年度工作计划,2025,2025-01-20,2025年党支部工作计划\n“凝聚力”工程计划,2025,2025-02-03,\nworkSummary,2025,2025-12-28,\n"
            let imported = try await importCSV(app, &api, Data(good.utf8), of: "documents")
            #expect(imported.status == .ok && imported.body.string == #"{"imported":3}"#)
            let kept = try await Documents.list(of: "branch-2", year: 2025, on: app.db)
            #expect(kept.map(\.kind) == [.workPlan, .cohesionPlan, .workSummary] && kept[1].title == "2025年“凝聚力”工程计划")
            #expect(try await importCSV(app, &api, Data(good.utf8), as: "zhibu1", of: "documents").status == .forbidden)
        }
    }
}

extension ServerTests.LedgerAPITests {
    /// The same file imported twice would count every meeting twice (党员大会 5 of 4): a row that repeats a record
    /// already kept (type, date and topic), or another row of the file, is named, and nothing is imported.
    @Test func 二一_aRepeatedRecordIsNamedByItsRowAndNothingIsImported() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            var api = QuarterAPI(app)
            let member = "branch-2-group-1-member-1"
            let file = """
                type,date,topic,attendees,absent
                党员大会,2026-02-10,学习全会精神,\(member),
                支委会,2026-02-12,研究发展党员,,
                """
            let first = try await importCSV(app, &api, Data(file.utf8))
            #expect(first.status == .ok && first.body.string == #"{"imported":2}"#, "\(first.body.string)")
            let before = try await Activity.query(on: app.db).filter(\.$unitCode == "branch-2").count()

            let again = try await importCSV(app, &api, Data(file.utf8))
            #expect(again.status == .unprocessableEntity)
            let problems = try again.content.decode(ImportProblems.self).problems
            #expect(problems.map(\.row) == [2, 3] && problems.allSatisfy { $0.message.contains("已登记") })

            let twice = "type,date,topic,attendees,absent\n党课,2026-03-03,党史,,\n党课,2026-03-03,党史,,\n"
            let repeated = try await importCSV(app, &api, Data(twice.utf8))
            let named = try repeated.content.decode(ImportProblems.self).problems
            #expect(named.map(\.row) == [3] && named[0].message.contains("第 2 行"))
            #expect(try await Activity.query(on: app.db).filter(\.$unitCode == "branch-2").count() == before)
        }
    }
}

extension ServerTests.LedgerAPITests {
    /// Issue 27: a large import is written in batches, so another secretary's save goes in between them instead of
    /// waiting for the whole file (5,000 rows held SQLite's one writer for 11.8 s).
    @Test func aLargeImportLetsAnotherWriterInBetweenItsBatches() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            var api = QuarterAPI(app)
            let rows = (1...1_500).map { "党课,2026-03-03,党史专题 \($0),," }
            let file = Data((["type,date,topic,attendees,absent"] + rows).joined(separator: "\n").utf8)
            let (importer, other) = (try await api.token("zhibu2"), try await api.token("zhibu1"))
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                group.addTask {
                    var status = HTTPStatus.internalServerError
                    try await app.testing().test(
                        .POST, "/api/v1/units/branch-2/activities/import",
                        beforeRequest: { req in
                            req.headers.bearerAuthorization = .init(token: importer)
                            req.headers.contentType = HTTPMediaType(type: "text", subType: "csv")
                            req.body = ByteBuffer(data: file)
                        }
                    ) { status = $0.status }
                    return status
                }
                group.addTask {
                    // once the import is writing
                    while try await Activity.query(on: app.db).filter(\.$unitCode == "branch-2")
                        .filter(\.$topic == "党史专题 1").count() == 0
                    {
                        try await Task.sleep(for: .milliseconds(5))
                    }
                    var status = HTTPStatus.internalServerError
                    try await app.testing().test(
                        .POST, "/api/v1/units/branch-1/activities",
                        beforeRequest: { req in
                            req.headers.bearerAuthorization = .init(token: other)
                            try req.content.encode(
                                ["type": "partyLecture", "date": "2026-03-04", "topic": "另一支部的党课"], as: .json)
                        }
                    ) { status = $0.status }
                    return status
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok || $0 == .created }, "\(statuses)")
            let events = try await AuditEvent.query(on: app.db).filter(\.$action == "activity.record").all()
            let otherSave = try #require(
                events.first { $0.subject == "unit:branch-1" && $0.after?.contains("另一支部") == true })
            let imported = events.filter { $0.subject == "unit:branch-2" }.map(\.seq)
            #expect(imported.count >= 1_500)
            #expect(otherSave.seq < imported.max()!, "the other save waited for the whole import")
        }
    }
}
