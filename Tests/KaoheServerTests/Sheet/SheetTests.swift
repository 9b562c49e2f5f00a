import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 办法 三、四: a quarter is opened, each branch keeps its sheet, the engine scores it.
    @Suite struct SheetTests {
        struct Period: Content {
            let id: String; let state: String; let rubric: String; let selfDeadline: String; let panelDeadline: String
        }
        struct Line: Content { let unit: String; let state: String; let total: Decimal; let grade: String }
        struct Score: Content { let total: Decimal; let bonus: Decimal; let grade: String }
        struct SheetJSON: Content {
            let unit: String; let state: String; let version: Int; let score: Score; let entries: [EntryLine]
        }
        struct EntryLine: Content { let id: UUID; let rule: String; let stage: String; let withdrawn: Bool? }

        /// The demo bureau with the worked example's rubric installed and 2026Q4 opened on it.
        func bureauWithQuarter(_ app: Application) async throws -> [String: String] {
            try await RubricStore.save(
                yaml: tinyRubricYAML, fileName: "tiny.yaml", note: "test", actor: "test", on: app.db)
            var tokens: [String: String] = [:]
            for name in ["zuzhi", "zhibu1", "zhibu2", "kaohe1", "dangyuan1"] {
                tokens[name] = try await apiToken(app, name, DemoBureau.password)
            }
            try await send(
                app, .POST, "/api/v1/periods", as: tokens["zuzhi"]!, json: ["quarter": "2026Q4", "rubric": "tiny"]
            ) { res in
                #expect(res.status == .created)
            }
            return tokens
        }

        func send(
            _ app: Application, _ method: HTTPMethod, _ path: String, as token: String,
            json: [String: any Encodable & Sendable]? = nil,
            _ check: (TestingHTTPResponse) async throws -> Void
        ) async throws {
            try await app.testing().test(
                method, path,
                beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: token)
                    if let json {
                        req.headers.contentType = .json
                        req.body = ByteBuffer(
                            data: try JSONSerialization.data(withJSONObject: json.mapValues { $0 as Any }))
                    }
                }, afterResponse: check)
        }

        @Test func 四一_theOrganizerOpensAQuarterWithItsDeadlines() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let tokens = try await bureauWithQuarter(app)
                try await send(app, .GET, "/api/v1/periods", as: tokens["zhibu1"]!) { res in
                    let periods = try res.content.decode([Period].self)
                    let q4 = try #require(periods.first { $0.id == "2026Q4" })
                    #expect(q4.selfDeadline == "2027-01-10")
                    #expect(q4.panelDeadline == "2027-01-15")
                    #expect(q4.rubric == "tiny/1")
                    #expect(q4.state == "open")
                }
                try await send(app, .GET, "/api/v1/periods/2026Q4/assessments?level=branch", as: tokens["zuzhi"]!) {
                    res in
                    let lines = try res.content.decode([Line].self)
                    #expect(lines.map(\.unit) == ["branch-1", "branch-2", "branch-3", "branch-4"])
                    #expect(lines.allSatisfy { $0.state == "draft" && $0.total == 10 && $0.grade == "excellent" })
                }
                let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "period.open").count()
                #expect(audited >= 1)
            }
        }

        @Test func 四一_theOrganizerMaySetTheDeadlinesAndBadOnesAre422NamingTheField() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let zuzhi = try await apiToken(app, "zuzhi", DemoBureau.password)
                try await send(
                    app, .POST, "/api/v1/periods", as: zuzhi, json: ["quarter": "2026Q4", "selfDeadline": "2027-1-8"]
                ) { res in
                    #expect(res.status == .unprocessableEntity)
                    let decoded = try res.content.decode(ErrorBody.self)
                    #expect(decoded.reason.hasPrefix("selfDeadline: "))
                }
                try await send(
                    app, .POST, "/api/v1/periods", as: zuzhi,
                    json: ["quarter": "2026Q4", "selfDeadline": "2027-01-20", "panelDeadline": "2027-01-15"]
                ) { res in
                    #expect(res.status == .unprocessableEntity)
                    let decoded = try res.content.decode(ErrorBody.self)
                    #expect(decoded.reason.hasPrefix("panelDeadline: "))
                }
                try await send(
                    app, .POST, "/api/v1/periods", as: zuzhi, json: ["quarter": "2026Q4", "selfDeadline": "2027-01-08"]
                ) { res in
                    #expect(res.status == .created)
                    let period = try res.content.decode(Period.self)
                    #expect(period.selfDeadline == "2027-01-08")
                    #expect(period.panelDeadline == "2027-01-15", "the one left out comes from the rubric")
                }
            }
        }

        @Test func onlyTheOrganizerOpensAndAQuarterOpensOnce() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let tokens = try await bureauWithQuarter(app)
                try await send(app, .POST, "/api/v1/periods", as: tokens["zhibu1"]!, json: ["quarter": "2027Q1"]) {
                    res in
                    #expect(res.status == .forbidden)
                }
                try await send(
                    app, .POST, "/api/v1/periods", as: tokens["zuzhi"]!, json: ["quarter": "2026Q4", "rubric": "tiny"]
                ) { res in
                    #expect(res.status == .conflict)
                }
                try await send(app, .POST, "/api/v1/periods", as: tokens["zuzhi"]!, json: ["quarter": "2026Q5"]) {
                    res in
                    #expect(res.status == .unprocessableEntity)
                    let decoded = try res.content.decode(ErrorBody.self)
                    #expect(decoded.reason.hasPrefix("quarter"))
                }
            }
        }

        @Test func theSecretarysEntryIsScoredByTheEngine() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let tokens = try await bureauWithQuarter(app)
                let auditedBefore = try await AuditEvent.query(on: app.db).filter(\.$action == "entry.add").count()
                let sheet = "/api/v1/periods/2026Q4/assessments/branch-1"
                try await send(
                    app, .POST, sheet + "/entries", as: tokens["zhibu1"]!,
                    json: ["rule": "1.1.a", "note": "测试说明", "count": 2]
                ) { res in
                    #expect(res.status == .created)
                }
                try await send(
                    app, .POST, sheet + "/entries", as: tokens["zhibu1"]!,
                    json: ["rule": "1.1.b", "note": "测试说明", "points": 1.5, "case": "市直机关工委通报表扬"]
                ) { res in
                    #expect(res.status == .created)
                }
                try await send(app, .GET, sheet, as: tokens["zhibu1"]!) { res in
                    let sheet = try res.content.decode(SheetJSON.self)
                    #expect(sheet.score.total == 8)
                    #expect(sheet.score.bonus == Decimal(string: "1.5")!)
                    #expect(sheet.score.grade == "qualified")
                    #expect(sheet.version == 3)
                    #expect(sheet.entries.map(\.stage) == ["self", "self"])
                }
                let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "entry.add").count()
                #expect(audited - auditedBefore == 2)
            }
        }

        @Test func anEntryOutsideTheRuleIs422NamingTheRule() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let tokens = try await bureauWithQuarter(app)
                try await send(
                    app, .POST, "/api/v1/periods/2026Q4/assessments/branch-1/entries", as: tokens["zhibu1"]!,
                    json: ["rule": "2.1.a", "note": "测试说明", "points": 5]
                ) { res in
                    #expect(res.status == .unprocessableEntity)
                    let reason = try res.content.decode(ErrorBody.self).reason
                    #expect(reason.contains("2.1.a"))
                    #expect(reason.contains("[2, 3]"))
                }
                try await send(
                    app, .POST, "/api/v1/periods/2026Q4/assessments/branch-1/entries", as: tokens["zhibu1"]!,
                    json: ["rule": "1.1.b", "note": "测试说明", "points": 1]
                ) { res in
                    #expect(res.status == .unprocessableEntity)
                    let decoded = try res.content.decode(ErrorBody.self)
                    #expect(decoded.reason.contains("case"))
                }
            }
        }

        @Test func anotherBranchsDraftIsNeverVisible() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let tokens = try await bureauWithQuarter(app)
                try await send(app, .GET, "/api/v1/periods/2026Q4/assessments/branch-1", as: tokens["zhibu2"]!) { res in
                    #expect(res.status == .notFound)
                }
                try await send(
                    app, .POST, "/api/v1/periods/2026Q4/assessments/branch-1/entries", as: tokens["zhibu2"]!,
                    json: ["rule": "1.1.a", "note": "测试说明", "count": 1]
                ) { res in
                    #expect(res.status == .notFound)
                }
                try await send(app, .GET, "/api/v1/periods/2026Q4/assessments", as: tokens["zhibu2"]!) { res in
                    let decoded = try res.content.decode([Line].self)
                    // Its own sheet, and the sheets of its groups and members, which the branch assesses.
                    #expect(decoded.first?.unit == "branch-2")
                    #expect(decoded.allSatisfy { $0.unit.hasPrefix("branch-2") })
                    #expect(decoded.count == 9)
                }
                // A member sees his own sheet and nothing else unpublished.
                try await send(app, .GET, "/api/v1/periods/2026Q4/assessments", as: tokens["dangyuan1"]!) { res in
                    let decoded = try res.content.decode([Line].self)
                    #expect(decoded.map(\.unit) == ["branch-1-group-1-member-3"])
                }
            }
        }

        @Test func thePanelCannotWriteOnADraft() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let tokens = try await bureauWithQuarter(app)
                try await send(
                    app, .POST, "/api/v1/periods/2026Q4/assessments/branch-1/entries", as: tokens["kaohe1"]!,
                    json: ["rule": "1.1.a", "note": "测试说明", "count": 1]
                ) { res in
                    #expect(res.status == .conflict)
                }
                try await send(
                    app, .POST, "/api/v1/periods/2026Q4/assessments/branch-1/entries", as: tokens["zuzhi"]!,
                    json: ["rule": "1.1.a", "note": "测试说明", "count": 1]
                ) { res in
                    #expect(res.status == .forbidden)
                }
            }
        }

        @Test func aDraftEntryIsRemovedAndAudited() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let tokens = try await bureauWithQuarter(app)
                let sheet = "/api/v1/periods/2026Q4/assessments/branch-1"
                var id: UUID?
                try await send(
                    app, .POST, sheet + "/entries", as: tokens["zhibu1"]!,
                    json: ["rule": "1.1.a", "note": "测试说明", "count": 1]
                ) { res in
                    id = try res.content.decode(EntryLine.self).id
                }
                try await send(app, .DELETE, sheet + "/entries/\(try #require(id))", as: tokens["zhibu1"]!) { res in
                    #expect(res.status == .noContent)
                }
                try await send(app, .GET, sheet, as: tokens["zhibu1"]!) { res in
                    let sheet = try res.content.decode(SheetJSON.self)
                    #expect(sheet.entries.isEmpty)
                    #expect(sheet.score.total == 10)
                }
                #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "entry.delete").count() == 1)
            }
        }

        @Test func anEntryOnceSubmittedIsWithdrawnNotDeletedAfterAReturn() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let tokens = try await bureauWithQuarter(app)
                let sheet = "/api/v1/periods/2026Q4/assessments/branch-1"
                var reported: UUID?
                try await send(
                    app, .POST, sheet + "/entries", as: tokens["zhibu1"]!,
                    json: ["rule": "1.1.a", "note": "测试说明", "count": 1]
                ) { res in
                    reported = try res.content.decode(EntryLine.self).id
                }
                for (action, user, reason) in [("submit", "zhibu1", ""), ("return", "zuzhi", "请补充材料")] {
                    var version = 0
                    try await send(app, .GET, sheet, as: tokens[user]!) { res in
                        version = try res.content.decode(SheetJSON.self).version
                    }
                    try await send(
                        app, .POST, sheet + "/actions/" + action, as: tokens[user]!,
                        json: ["version": version, "reason": reason]
                    ) { res in #expect(res.status == .ok) }
                }
                var fresh: UUID?
                try await send(
                    app, .POST, sheet + "/entries", as: tokens["zhibu1"]!,
                    json: ["rule": "1.1.a", "note": "测试说明", "count": 1]
                ) { res in
                    fresh = try res.content.decode(EntryLine.self).id
                }
                try await send(app, .DELETE, sheet + "/entries/\(try #require(reported))", as: tokens["zhibu1"]!) {
                    res in
                    #expect(res.status == .unprocessableEntity, "a withdrawal keeps its reason, so it needs one")
                }
                for id in [try #require(reported), try #require(fresh)] {
                    try await send(
                        app, .DELETE, sheet + "/entries/\(id)?reason=%E5%B7%B2%E8%A1%A5%E6%AD%A3", as: tokens["zhibu1"]!
                    ) { res in
                        #expect(res.status == .noContent)
                    }
                }
                try await send(app, .GET, sheet, as: tokens["zhibu1"]!) { res in
                    let sheet = try res.content.decode(SheetJSON.self)
                    #expect(
                        sheet.entries.map(\.id) == [reported], "the reported entry stays on record; the new one is gone"
                    )
                    #expect(sheet.entries.first?.withdrawn == true)
                    #expect(sheet.score.total == 10)
                }
            }
        }
    }
}
