import Fluent
import Foundation
import KaoheCore
import NIOCore
import SQLKit
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 29: what a unit's ledger comes to is counted by the write that changes it, in its transaction, and a read
    /// only reads it. Each kind of input is changed here and the kept figures compared with a count from scratch.
    @Suite struct KeptLedgerTests {
        static func kept(_ unit: String, _ year: Int = 2026, on db: any Database) async throws -> KeptLedgerYear.Own {
            try await KeptLedgerYear.query(on: db).filter(\.$unitCode == unit).filter(\.$year == year).first()?
                .decoded() ?? .init()
        }

        static func agrees(_ db: any Database, _ comment: Comment) async throws {
            let found = try await KeptLedgerYear.differences(on: db)
            #expect(found.isEmpty, "\(comment): \(found)")
        }

        static let day = CalendarDay("2026-09-08")!

        @Test func aRecordItsWithdrawalAndAnImportEachChangeTheKeptCount() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                try await Self.agrees(app.db, "the demo as bootstrapped")
                var api = QuarterAPI(app)
                let before = try await Self.kept("branch-2", on: app.db).held[.committeeMeeting] ?? []
                let created = try await api.call(
                    .POST, "/api/v1/units/branch-2/activities", as: "zhibu2", json: LedgerAPITests.meeting)
                #expect(created.status == .created, "\(created.body.string)")
                let held = try await Self.kept("branch-2", on: app.db).held[.committeeMeeting] ?? []
                #expect(held.count == before.count + 1 && held.contains(Self.day))
                try await Self.agrees(app.db, "after a record")

                let id = try created.content.decode(LedgerAPITests.Record.self).id
                let withdrawn = try await api.call(
                    .DELETE, "/api/v1/units/branch-2/activities/\(id)?reason=x", as: "zhibu2")
                #expect(withdrawn.status == .noContent, "\(withdrawn.body.string)")
                #expect(try await Self.kept("branch-2", on: app.db).held[.committeeMeeting] ?? [] == before)
                try await Self.agrees(app.db, "after a withdrawal")

                let rows = (1...3).map { "党课,2025-03-0\($0),党史专题 \($0),," }
                let imported = try await LedgerAPITests().importCSV(
                    app, &api, Data((["type,date,topic,attendees,absent"] + rows).joined(separator: "\n").utf8))
                #expect(imported.status == .ok, "\(imported.body.string)")
                #expect(try await Self.kept("branch-2", 2025, on: app.db).held[.partyLecture]?.count == 3)
                let first = try await KeptLedgerYear.firstRecords(below: ["branch-2", "general"], on: app.db)
                #expect(first["branch-2"]?.code == "2025Q1", "a record of last year moves the ledger's start")
                #expect(
                    try await KeptLedgerYear.query(on: app.db).filter(\.$unitCode == "branch-2").all()
                        .allSatisfy { $0.firstRecord == "2025Q1" }, "every year of the unit carries it")
                try await Self.agrees(app.db, "after an import into another year")
            }
        }

        @Test func aDuesMonthADocumentAndAMarkEachChangeTheKeptCount() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let saved = try await api.call(
                    .PUT, "/api/v1/units/branch-2/dues/2026-09", as: "zhibu2", json: DuesAPITests.september)
                #expect(saved.status == .ok, "\(saved.body.string)")
                let dues = try await Self.kept("branch-2", on: app.db).dues
                #expect(dues.first { $0.code == "2026-09" }?.payments.count == 5)
                try await Self.agrees(app.db, "after a dues month")
                let member = "branch-2-group-1-member-1"
                let months =
                    "month,member,amount,paidOn,signed,handedOverOn\n2025-12,\(member),50,2025-12-05,是,2025-12-12\n"
                let imported = try await LedgerAPITests().importCSV(app, &api, Data(months.utf8), of: "dues")
                #expect(imported.status == .ok, "\(imported.body.string)")
                #expect(try await Self.kept("branch-2", 2025, on: app.db).dues.map(\.code) == ["2025-12"])
                try await Self.agrees(app.db, "after a dues import")

                let reported = try await api.call(
                    .POST, "/api/v1/units/branch-4/documents", as: "zhibu4",
                    json: ["kind": "developmentPlan", "year": 2026, "submittedOn": "2026-03-02", "title": "党员发展计划"])
                #expect(reported.status == .created, "\(reported.body.string)")
                #expect(
                    try await Self.kept("branch-4", on: app.db).documents[.developmentPlan] == CalendarDay("2026-03-02")
                )
                try await Self.agrees(app.db, "after a document")
                let plans = "kind,year,submittedOn,title\nworkSummary,2025,2025-12-28,\n"
                #expect(
                    try await LedgerAPITests().importCSV(app, &api, Data(plans.utf8), of: "documents").status == .ok)
                #expect(try await Self.kept("branch-2", 2025, on: app.db).documents[.workSummary] != nil)
                try await Self.agrees(app.db, "after a documents import")

                let marked = try await api.call(
                    .POST, "/api/v1/units/branch-2/ledger/complete", as: "zhibu2", json: ["quarter": "2026Q2"])
                #expect(marked.status == .noContent || marked.status == .ok, "\(marked.body.string)")
                #expect(try await Self.kept("branch-2", on: app.db).completed.contains("2026Q2"))
                try await Self.agrees(app.db, "after a completion mark")
            }
        }

        /// A member transferred out before September owes nothing for September: the branch's kept dues say so as
        /// soon as the transfer is recorded.
        @Test func aMemberLeavingChangesWhoOwedTheBranchsMonths() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                _ = try await api.call(
                    .PUT, "/api/v1/units/branch-2/dues/2026-09", as: "zhibu2", json: DuesAPITests.september)
                let leaving = "branch-2-group-1-member-3"
                #expect(try await Self.kept("branch-2", on: app.db).owing["2026-09"]?.contains(leaving) == true)
                let left = try await MembershipTests.change(
                    &api, ["action": "transferOut", "destination": "市局机关党委", "date": "2026-08-15"], member: leaving)
                #expect(left.status == .ok, "\(left.body.string)")
                #expect(try await Self.kept("branch-2", on: app.db).owing["2026-09"]?.contains(leaving) == false)
                try await Self.agrees(app.db, "after a transfer out")
            }
        }

        @Test func aCountThatDriftedIsNamedAndRepaired() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                try await KeptLedgerYear.query(on: app.db).filter(\.$unitCode == "branch-1").filter(\.$year == 2026)
                    .set(\.$own, to: "{}").update()
                let found = try await KeptLedgerYear.differences(on: app.db)
                #expect(found.count == 1 && found.first?.hasPrefix("branch-1 2026") == true, "\(found)")
                try await app.db.writeTransaction { db in try await KeptLedgerYear.recountAll(on: db) }
                try await Self.agrees(app.db, "after the repair")
            }
        }

        /// Deadline day: eight records of one branch at once, each counted by its own write; none is lost from the
        /// kept count (on PostgreSQL the second counter waits for the first to commit).
        @Test func eightRecordsOfOneBranchAtOnceAreAllCounted() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let token = try await api.token("zhibu2")
                let before = try await Self.kept("branch-2", on: app.db).held[.talk]?.count ?? 0
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for day in 1...8 {
                        group.addTask {
                            var status = HTTPStatus.internalServerError
                            try await app.testing().test(
                                .POST, "/api/v1/units/branch-2/activities",
                                beforeRequest: { req in
                                    req.headers.bearerAuthorization = .init(token: token)
                                    try req.content.encode(
                                        ["type": "talk", "date": "2026-09-0\(day)", "topic": "谈心谈话 \(day)"],
                                        as: .json)
                                }
                            ) { status = $0.status }
                            return status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
                #expect(try await Self.kept("branch-2", on: app.db).held[.talk]?.count == before + 8)
                try await Self.agrees(app.db, "after eight at once")
            }
        }
    }
}
