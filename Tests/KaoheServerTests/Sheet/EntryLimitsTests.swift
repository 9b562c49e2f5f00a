import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// What an attacker's or a slip's input still found: each is refused naming its field, nothing kept.
    @Suite struct EntryLimitsTests {
        /// Scores are kept to the cent: a points value of three decimals is refused naming `points`.
        @Test func aPointsValueIsKeptToTheCent() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let fine = try await api.call(
                    .POST, "assessments/branch-3/entries", as: "zhibu3",
                    json: ["rule": "1.4.a", "points": 3.333, "note": "未完成任务"])
                #expect(
                    fine.status == .unprocessableEntity && fine.body.string.contains("points"), "\(fine.body.string)")
                let cents = try await api.call(
                    .POST, "assessments/branch-3/entries", as: "zhibu3",
                    json: ["rule": "1.4.a", "points": 3.25, "note": "未完成任务"])
                #expect(cents.status == .created, "\(cents.body.string)")
            }
        }

        /// A veto dated before 2000 (0001-01-01) is a slip: 422 naming `date`.
        @Test func aVetoOfTheYearOneIsRefused() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let refused = try await api.call(
                    .POST, "/api/v1/units/branch-1/vetoes", as: "zuzhi",
                    json: ["veto": "V1", "date": "0001-01-01", "reason": "测试"])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("date"))
            }
        }

        /// A year no calendar holds, in the ledger's address, is 422 naming `year`, never read as this year.
        @Test func aHugeYearInTheLedgersAddressIsRefused() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await Browser.signedIn(app, "zhibu1", on: "/units/branch-1/ledger")
                let page = try await browser.get("/units/branch-1/ledger?year=99999999999999999999")
                #expect(page.status == .unprocessableEntity)
                var api = QuarterAPI(app)
                let listed = try await api.call(
                    .GET, "/api/v1/units/branch-1/activities?year=99999999999999999999", as: "zhibu1")
                #expect(listed.status == .unprocessableEntity && listed.body.string.contains("year"))
            }
        }
    }
}

extension ServerTests.EntryLimitsTests {
    /// A NUL is not text: in a CSV import it is refused naming its row, and nothing is imported, on either
    /// database (it was cut on SQLite and broke the write on PostgreSQL).
    @Test func aControlCharacterInAnImportIsRefusedNamingItsRow() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            var api = QuarterAPI(app)
            let before = try await Activity.query(on: app.db).filter(\.$unitCode == "branch-2").count()
            let file = "type,date,topic,attendees,absent\n党课,2026-03-03,党史\u{0}学习,,\n"
            let refused = try await ServerTests.LedgerAPITests().importCSV(app, &api, Data(file.utf8))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("第 2 行含有控制字符"), "\(refused.body.string)")
            #expect(try await Activity.query(on: app.db).filter(\.$unitCode == "branch-2").count() == before)
        }
    }
}

extension ServerTests.EntryLimitsTests {
    /// An upload's file name is text like any other: a NUL in it is refused, and no file is kept.
    @Test func aControlCharacterInAFileNameIsRefused() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            var api = QuarterAPI(app)
            let before = try await Evidence.query(on: app.db).count()
            let pdf = Data("%PDF-1.4\n支委会会议记录\n".utf8)
            let refused = try await api.upload("branch-1", as: "zhibu1", filename: "记录\u{0}.pdf", data: pdf)
            #expect(refused.status == .unprocessableEntity || refused.status == .badRequest, "\(refused.status)")
            #expect(refused.status.code < 500)
            #expect(try await Evidence.query(on: app.db).count() == before)
        }
    }
}
