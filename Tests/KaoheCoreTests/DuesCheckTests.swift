import Foundation
import Testing
@testable import KaoheCore

/// 细则 2.8: 按规定及时收缴党费，并于每月15日前上交总支组织委员，按月在《党费证》上登记签字.
@Suite struct DuesCheckTests {
    let august = CalendarDay("2026-08-01")!
    func paid(_ member: String, _ amount: String = "50", due: String? = "50", signed: Bool = true) -> DuesPayment {
        DuesPayment(member: member, amount: Decimal(string: amount)!, due: due.flatMap { Decimal(string: $0) },
                    paidOn: CalendarDay("2026-08-05"), signed: signed)
    }
    func findings(_ payments: [DuesPayment], handed: String? = "2026-08-10") -> [DuesCheck.Finding] {
        DuesCheck.findings([DuesMonth(month: august, handedOverOn: handed.flatMap(CalendarDay.init), payments: payments)],
                           members: ["a", "b", "c"], duesDay: 15, asOf: CalendarDay("2026-09-30")!)
    }

    @Test func 二八_aMonthPaidInFullSignedAndHandedOverInTimeFindsNothing() {
        #expect(findings([paid("a"), paid("b"), paid("c")]).isEmpty)
    }

    @Test func 二八_eachMemberUnpaidOrShortIsNamed() {
        let found = findings([paid("a"), paid("b", "30"), paid("c", "0")])
        #expect(found == [.init(kind: .short, month: "2026-08", member: "b"), .init(kind: .unpaid, month: "2026-08", member: "c")])
    }

    @Test func 二八_aPaymentNotSignedInThe党费证IsFound() {
        #expect(findings([paid("a"), paid("b", signed: false), paid("c")]) == [.init(kind: .unsigned, month: "2026-08", member: "b")])
    }

    @Test func 二八_aHandOverAfterTheDuesDayIsLateAndOnTheDayIsNot() {
        let all = [paid("a"), paid("b"), paid("c")]
        #expect(findings(all, handed: "2026-08-15").isEmpty)
        #expect(findings(all, handed: "2026-08-16") == [.init(kind: .lateHandover, month: "2026-08", member: nil)])
        #expect(findings(all, handed: nil).isEmpty, "a month not handed over is the monthly requirement's to count")
    }

    @Test func 二八_noDueRecordedMeansNothingIsShort() {
        #expect(findings([paid("a", "1", due: nil), paid("b"), paid("c")]).isEmpty)
    }
}
