import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 细则 2.8: a month's dues are handed over for that month. Handed over after the month, they fill the month's
    /// window (late, which 2.8 deducts), never the month they were handed over in.
    @Suite struct DuesMonthTests {
        @Test func aHandOverCountsForItsDuesMonthNotTheDayItWasHandedOver() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true, today: CalendarDay("2026-11-30")!) { app in
                var api = QuarterAPI(app)
                let members = (1...2).flatMap { g in (1...3).map { "branch-2-group-\(g)-member-\($0)" } }
                let payments = members.map { ["member": $0, "amount": "50", "paidOn": "2026-10-05", "signed": true] }
                let saved = try await api.call(
                    .PUT, "/api/v1/units/branch-2/dues/2026-10", as: "zhibu2",
                    json: ["payments": payments, "handedOverOn": "2026-11-20"])
                #expect(saved.status == .ok, "\(saved.body.string)")
                let book = try await LedgerBook.read(for: "branch-2", year: 2026, on: app.db)
                let handed = book.held[.duesHandover] ?? []
                #expect(handed.contains(CalendarDay("2026-10-01")!), "October's window holds October's dues")
                #expect(!handed.contains(CalendarDay("2026-11-20")!), "November's window is November's own")
                let late = DuesCheck.findings(
                    book.dues.filter { $0.code == "2026-10" }, members: members, duesDay: 15,
                    asOf: CalendarDay("2026-11-30")!)
                #expect(late.contains { $0.kind == .lateHandover }, "and it was late")
            }
        }
    }
}
