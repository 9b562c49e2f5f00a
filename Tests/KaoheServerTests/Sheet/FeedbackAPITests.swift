import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 办法 四(二): the panel reviews item by item and writes its opinions; 办法 五: evidence from its sources.
    @Suite struct FeedbackAPITests {
        func underReview(_ api: inout QuarterAPI, _ unit: String = "branch-1") async throws {
            try await api.act("submit", on: unit, as: "zhibu1")
            try await api.act("forward", on: unit, as: "zuzhi")
            #expect(try await api.sheet(unit).state == "underReview")
        }

        @Test func 四二_thePanelWritesAnOpinionPerItemWhileItReviews() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let draft = try await api.sheet("branch-1")
                try await api.call(
                    .POST, "assessments/branch-1/opinions", as: "kaohe2",
                    json: ["item": "2.1", "text": "支委会记录不全", "version": draft.version]
                ) { res in
                    #expect(res.status == .conflict, "no opinions on a draft")
                }
                try await underReview(&api)
                let version = try await api.sheet("branch-1").version
                try await api.call(
                    .POST, "assessments/branch-1/opinions", as: "kaohe2",
                    json: ["item": "2.1", "text": "支委会记录不全，已核实少开三次", "version": version]
                ) { res in
                    #expect(res.status == .ok)
                    let sheet = try res.content.decode(QuarterAPI.SheetJSON.self)
                    #expect(sheet.opinions["2.1"] == "支委会记录不全，已核实少开三次")
                }
                try await api.call(
                    .POST, "assessments/branch-1/opinions", as: "kaohe2",
                    json: ["item": "2.1", "text": "覆盖", "version": version]
                ) { res in
                    #expect(res.status == .conflict, "a stale version is refused")
                }
                #expect(try await api.sheet("branch-1").opinions["2.1"] == "支委会记录不全，已核实少开三次")
                let current = try await api.sheet("branch-1").version
                try await api.call(
                    .POST, "assessments/branch-1/opinions", as: "kaohe2",
                    json: ["item": "9.9", "text": "x", "version": current]
                ) { res in
                    #expect(res.status == .unprocessableEntity)
                    let decoded = try res.content.decode(ErrorBody.self)
                    #expect(decoded.reason.hasPrefix("item"))
                }
                try await api.call(
                    .POST, "assessments/branch-1/opinions", as: "zhibu1",
                    json: ["item": "2.1", "text": "自评", "version": current]
                ) { res in
                    #expect(res.status == .forbidden, "the unit does not write the panel's opinion")
                }
                let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "opinion.set").count()
                #expect(audited == 1)
            }
        }

        @Test func 五_evidenceIsStoredOnceByItsHashAndServedOnlyToThoseWhoSeeTheSheet() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let pdf = Data("%PDF-1.4\n支委会会议记录\n".utf8)
                let first = try await api.upload("branch-1", as: "zhibu1", filename: "支委会记录.pdf", data: pdf)
                #expect(first.status == .created)
                let evidence = try first.content.decode(QuarterAPI.EvidenceFile.self)
                #expect(evidence.sha256 == EvidenceStore.sha256(pdf))
                #expect(evidence.source == "records")
                try await api.upload("branch-1", as: "zhibu1", filename: "again.pdf", data: pdf, source: "bureauLeader")

                try await api.call(
                    .POST, "assessments/branch-1/entries", as: "zhibu1",
                    json: ["rule": "2.1.a", "note": "测试说明", "count": 1, "evidence": [evidence.id.uuidString]]
                ) { res in
                    #expect(res.status == .created)
                    let decoded = try res.content.decode(QuarterAPI.Entry.self)
                    #expect(decoded.evidence == [evidence.id])
                }
                try await api.call(.GET, "assessments/branch-1/evidence/\(evidence.id)", as: "kaohe2") { res in
                    #expect(res.status == .ok)
                    #expect(Data(buffer: res.body) == pdf)
                    #expect(res.headers.first(name: .contentDisposition)?.hasPrefix("attachment") == true)
                }
                try await api.call(.GET, "assessments/branch-1/evidence/\(evidence.id)", as: "zhibu2") { res in
                    #expect(res.status == .notFound, "another branch never reads a draft's evidence")
                }
                // Content-addressed: two uploads of the same bytes keep one copy.
                if case .postgres = app.kaoheSettings.database {
                    #expect(try await EvidenceBlob.query(on: app.db).count() == 1)
                } else {
                    let stored = try FileManager.default.subpathsOfDirectory(
                        atPath: app.kaoheSettings.dataDirectory + "/evidence"
                    )
                    .filter { !$0.contains("/.") && $0.count > 3 }
                    #expect(stored == [String(evidence.sha256.prefix(2)) + "/" + evidence.sha256])
                }
            }
        }

        @Test func 五_evidenceOutsideTheAllowListOrTheLimitIsRefusedNamingTheField() async throws {
            try await withKaohe(
                {
                    $0.demo = true; $0.evidence.maxBytes = 64
                }, bootstrap: true
            ) { app in
                var api = QuarterAPI(app)
                for (name, data) in [
                    ("run.exe", Data("MZ".utf8)), ("fake.pdf", Data([0x89, 0x50, 0x4E, 0x47])),
                    ("big.txt", Data(repeating: 0x41, count: 65)),
                ] {
                    let response = try await api.upload("branch-1", as: "zhibu1", filename: name, data: data)
                    #expect(response.status == .unprocessableEntity, "\(name)")
                    #expect(try response.content.decode(ErrorBody.self).reason.hasPrefix("file"), "\(name)")
                }
                let response = try await api.upload(
                    "branch-1", as: "zhibu1", filename: "note.txt", data: Data("ok".utf8), source: "rumour")
                #expect(response.status == .unprocessableEntity)
                #expect(try response.content.decode(ErrorBody.self).reason.hasPrefix("source"))
                #expect(try await Evidence.query(on: app.db).count() == 0, "nothing of a refused upload is kept")
                let panel = try await api.upload("branch-1", as: "kaohe2", filename: "note.txt", data: Data("ok".utf8))
                #expect(panel.status == .conflict, "the panel uploads while it reviews, not on a draft")
            }
        }

        @Test func 五_anUploadFarOverTheLimitIsNotEvenCollected() async throws {
            try await withKaohe(
                {
                    $0.demo = true; $0.evidence.maxBytes = 64
                }, bootstrap: true
            ) { app in
                var api = QuarterAPI(app)
                // The routes collect the policy's limit and room for the form, not a fixed size.
                let huge = try await api.upload(
                    "branch-1", as: "zhibu1", filename: "big.txt", data: Data(repeating: 0x41, count: 2 * 1024 * 1024),
                    over: .running(hostname: "127.0.0.1", port: 0))
                #expect(huge.status == .payloadTooLarge)
                #expect(try await Evidence.query(on: app.db).count() == 0)
            }
        }

        @Test func 四一_aLateReportSuggestsTheRubricsOwnRule() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                // 2026Q3 due on the rubric's day, 2026-10-10: a report made after it is late.
                try await setDeadlines(of: "2026Q3", selfReport: "2026-10-10", panelReview: "2026-10-15", on: app.db)
                try #require(BureauCalendar.today() > CalendarDayFixture.q3Deadline)
                try await api.act("submit", on: "branch-1", as: "zhibu1")
                let sheet = try await api.sheet("branch-1")
                #expect(sheet.late)
                #expect(sheet.suggestions.map(\.rule) == ["2.4.b"])
                try await api.act("forward", on: "branch-1", as: "zuzhi")
                try await api.call(
                    .POST, "assessments/branch-1/entries", as: "kaohe2", json: ["rule": "2.4.b", "note": "测试说明"]
                ) { res in
                    #expect(res.status == .created)
                }
                let left = try await api.sheet("branch-1").suggestions
                #expect(!left.contains { $0.rule == "2.4.b" }, "accepted, the suggestion goes (the ledger's stay)")
            }
        }
    }
}

enum CalendarDayFixture {
    static let q3Deadline = CalendarDay("2026-10-10")!
}
