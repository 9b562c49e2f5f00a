import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 细则 2.3 (api.md `…/units/{unit}/documents`): 及时制订和上报 … 计划 … 及时上报年度工作总结 — a plan missing
    /// after its day, or reported after it, is a suggestion on the quarter's sheet the day falls in.
    @Suite struct DocumentsAPITests {
        struct Document: Decodable {
            let id: UUID; let kind: String; let year: Int; let submittedOn: String; let title: String
        }

        @Test func 二三_aPlanMissingAfterItsDayOrLateIsSuggested() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let listed = try await api.call(.GET, "/api/v1/units/branch-3/documents?year=2026", as: "zuzhi")
                    .content.decode([Document].self)
                #expect(listed.map(\.kind).sorted() == ["cohesionPlan", "developmentPlan", "studyPlan", "workPlan"])
                #expect(listed.first { $0.kind == "studyPlan" }?.title == "2026年学习教育计划")
                // The plans are due in January: the first quarter's sheet is where they count. The demo's third
                // quarter sheets see none of them.
                #expect(!(try await api.sheet("branch-4").suggestions.contains { $0.rule.hasPrefix("2.3") }))
                let book = try await LedgerBook.read(for: "branch-4", year: 2026, on: app.db)
                let rubric = try RubricLoader.load(
                    yaml: try String(contentsOfFile: "rubrics/bureau-branch.yaml", encoding: .utf8), file: "b")
                let q1 = book.suggestions(
                    for: Quarter(code: "2026Q1")!, rubric: rubric, asOf: Quarter(code: "2026Q1")!.lastDay, entries: [])
                #expect(q1.contains { $0.rule == "2.3.a" && $0.reason.contains("党员发展计划未上报（应于 2026-01-31 前）") })
                let third = try await LedgerBook.read(for: "branch-3", year: 2026, on: app.db)
                let late = third.suggestions(
                    for: Quarter(code: "2026Q1")!, rubric: rubric, asOf: Quarter(code: "2026Q1")!.lastDay, entries: [])
                #expect(late.contains { $0.rule == "2.3.b" && $0.reason.contains("学习教育计划晚于 2026-01-31 上报") })
            }
        }

        @Test func theSecretaryRecordsOneOfEachKindAndBadInputIsNamed() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let path = "/api/v1/units/branch-4/documents"
                let good: [String: Any] = [
                    "kind": "developmentPlan", "year": 2026, "submittedOn": "2026-03-02", "title": "党员发展计划",
                ]
                let cases: [([String: Any], String)] = [
                    (["kind": "poem", "year": 2026, "submittedOn": "2026-03-02"], "kind"),
                    (["kind": "workSummary", "year": 1999, "submittedOn": "2026-03-02"], "year"),
                    (["kind": "workSummary", "year": 2026, "submittedOn": "2999-01-01"], "submittedOn"),
                    (["kind": "workSummary", "year": 2026, "submittedOn": "2026-13-01"], "submittedOn"),
                    (
                        [
                            "kind": "workSummary", "year": 2026, "submittedOn": "2026-03-02",
                            "title": String(repeating: "长", count: 201),
                        ], "title"
                    ),
                ]
                for (body, field) in cases {
                    let refused = try await api.call(.POST, path, as: "zhibu4", json: body)
                    #expect(refused.status == .unprocessableEntity, "\(field)")
                    #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix(field + ":"), "\(field)")
                }
                #expect(try await api.call(.POST, path, as: "zhibu1", json: good).status == .forbidden)
                #expect(try await api.call(.POST, path, as: "zhibu4", json: good).status == .created)
                #expect(
                    try await api.call(.POST, path, as: "zhibu4", json: good).status == .conflict,
                    "one of each kind a year")
                let count = try await UnitDocument.query(on: app.db).filter(\.$unitCode == "branch-4").count()
                #expect(count == 4)
            }
        }

        @Test func theLedgerPageShowsEachPlanByItsDayAndTheSecretaryRecordsOne() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let ledger = "/units/branch-4/ledger?year=2026"
                let secretary = try await Browser.signedIn(app, "zhibu4", on: ledger)
                let page = try await secretary.get(ledger).body.string
                #expect(
                    page.contains(
                        #"<td>党员发展计划</td><td data-label="应上报日期">2026-01-31</td><td data-label="上报日期"></td><td data-label="标题"></td><td data-label="情况">未上报（已过期）</td>"#
                    ))
                let refused = try await secretary.post(
                    "/units/branch-4/ledger/documents",
                    form: [
                        "kind": "developmentPlan", "year": "2026", "submittedOn": "2999-01-01", "title": "发展计划（草）",
                    ])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("id=\"document-error\""))
                #expect(
                    refused.body.string.contains("value=\"2999-01-01\"")
                        && refused.body.string.contains("value=\"发展计划（草）\""), "what was typed stays")
                let recorded = try await secretary.post(
                    "/units/branch-4/ledger/documents",
                    form: [
                        "kind": "developmentPlan", "year": "2026", "submittedOn": "2026-03-02",
                    ])
                #expect(recorded.status == .seeOther)
                let after = try await secretary.get(ledger).body.string
                #expect(
                    after.contains(
                        #"<td>党员发展计划</td><td data-label="应上报日期">2026-01-31</td><td data-label="上报日期">2026-03-02</td><td data-label="标题">2026年党员发展计划</td><td data-label="情况">逾期上报</td>"#
                    ))
            }
        }

        /// The plan itself (issue 13: "the document itself can be attached"): checked as evidence is, kept in the
        /// store, read by the unit and those above it, replaced with both files in the log, and in the backup.
        @Test func thePlanItselfIsAttachedReadByThoseAboveAndReplacedInTheLog() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let plan = try #require(
                    try await UnitDocument.query(on: app.db).filter(\.$unitCode == "branch-1").filter(
                        \.$kind == .workPlan
                    ).first())
                let path = "/api/v1/units/branch-1/documents/\(try plan.requireID())/file"
                let pdf = Data("%PDF-1.4 2026年党支部工作计划".utf8)
                let refusals: [(String, Data, Int)] = [
                    ("计划.exe", Data("MZ".utf8), 422), ("计划.pdf", Data("MZ not a pdf".utf8), 422),
                    ("计划.pdf", Data(), 422),
                ]
                for (name, data, status) in refusals {
                    let refused = try await api.upload(to: path, as: "zhibu1", filename: name, data: data)
                    #expect(refused.status.code == UInt(status) && refused.body.string.contains("file"), "\(name)")
                }
                #expect(
                    try await api.upload(to: path, as: "zhibu2", filename: "计划.pdf", data: pdf).status == .forbidden)
                let other = "/api/v1/units/branch-2/documents/\(try plan.requireID())/file"
                #expect(
                    try await api.upload(to: other, as: "zhibu2", filename: "计划.pdf", data: pdf).status == .notFound,
                    "another unit's record is not found under one's own")
                #expect(try await api.call(.GET, path, as: "zuzhi").status == .notFound, "nothing attached yet")

                let attached = try await api.upload(to: path, as: "zhibu1", filename: "2026年工作计划.pdf", data: pdf)
                #expect(attached.status == .ok && attached.body.string.contains(#""file":"2026年工作计划.pdf""#))
                let read = try await api.call(.GET, path, as: "zuzhi")
                #expect(read.status == .ok && Data(buffer: read.body) == pdf)
                #expect(read.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") == true)
                #expect(
                    try await api.call(.GET, path, as: "zhibu2").status == .forbidden, "another branch does not read it"
                )

                let replaced = Data("%PDF-1.4 修订稿".utf8)
                #expect(try await api.upload(to: path, as: "zhibu1", filename: "修订稿.pdf", data: replaced).status == .ok)
                #expect(Data(buffer: try await api.call(.GET, path, as: "zhibu1").body) == replaced)
                let events = try await AuditEvent.query(on: app.db).filter(\.$action == "document.attach").sort(\.$seq)
                    .all()
                #expect(events.count == 2 && events.last?.before?.contains("2026年工作计划.pdf") == true)

                let spool = FileManager.default.temporaryDirectory.appendingPathComponent("spool-\(UUID().uuidString)")
                try FileManager.default.createDirectory(
                    at: spool.appendingPathComponent("tables"), withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: spool) }
                let manifest = try await KaoheServerApp.snapshot(app.db, into: spool, progress: { _ in })
                #expect(
                    manifest.evidence.contains(EvidenceStore.sha256(replaced)),
                    "the attached file travels with the backup")
            }
        }

        /// Two at once recording the same plan: one is kept, the other told it is recorded (409), never a 500.
        @Test func recordingTheSamePlanAtOnceKeepsOneAndTellsTheOthers() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let permit = try await ledgerPermit("zhibu4", "branch-4", on: app.db)
                let outcomes = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 1...4 {
                        group.addTask {
                            do {
                                _ = try await Documents.record(
                                    .init(kind: "developmentPlan", year: 2026, submittedOn: "2026-03-02"),
                                    by: permit, today: CalendarDay("2026-12-01")!, on: app.db)
                                return 201
                            } catch let abort as AbortError {
                                return Int(abort.status.code)
                            }
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(outcomes.sorted() == [201, 409, 409, 409])
                #expect(
                    try await UnitDocument.query(on: app.db).filter(\.$unitCode == "branch-4").filter(
                        \.$kind == .developmentPlan
                    ).count() == 1)
            }
        }
    }
}
