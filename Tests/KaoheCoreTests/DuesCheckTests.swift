import Foundation
import Testing

@testable import KaoheCore

/// 细则 2.8: 按规定及时收缴党费，并于每月15日前上交总支组织委员，按月在《党费证》上登记签字.
@Suite struct DuesCheckTests {
    let august = CalendarDay("2026-08-01")!
    func paid(_ member: String, _ amount: String = "50", due: String? = "50", signed: Bool = true) -> DuesPayment {
        DuesPayment(
            member: member, amount: Decimal(string: amount)!, due: due.flatMap { Decimal(string: $0) },
            paidOn: CalendarDay("2026-08-05"), signed: signed)
    }
    func findings(_ payments: [DuesPayment], handed: String? = "2026-08-10") -> [DuesCheck.Finding] {
        DuesCheck.findings(
            [DuesMonth(month: august, handedOverOn: handed.flatMap(CalendarDay.init), payments: payments)],
            members: ["a", "b", "c"], duesDay: 15, asOf: CalendarDay("2026-09-30")!)
    }

    @Test func 二八_aMonthPaidInFullSignedAndHandedOverInTimeFindsNothing() {
        #expect(findings([paid("a"), paid("b"), paid("c")]).isEmpty)
    }

    @Test func 二八_eachMemberUnpaidOrShortIsNamed() {
        let found = findings([paid("a"), paid("b", "30"), paid("c", "0")])
        #expect(
            found == [
                .init(kind: .short, month: "2026-08", member: "b"), .init(kind: .unpaid, month: "2026-08", member: "c"),
            ])
    }

    @Test func 二八_aPaymentNotSignedInThe党费证IsFound() {
        #expect(
            findings([paid("a"), paid("b", signed: false), paid("c")]) == [
                .init(kind: .unsigned, month: "2026-08", member: "b")
            ])
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

/// 细则 2.3: 及时制订和上报 … 计划 … 各类工作计划、总结每缺一项 / 未按规定时间上报每次.
@Suite struct DocumentCheckTests {
    let policy = DocumentPolicy(
        missingRule: "2.3.a", lateRule: "2.3.b",
        due: [
            DocumentRequirement(kind: .workPlan, month: 1, day: 31),
            DocumentRequirement(kind: .workSummary, month: 12, day: 25),
        ])

    func findings(_ code: String, _ submitted: [DocumentKind: String], asOf: String) -> [DocumentCheck.Finding] {
        DocumentCheck.findings(
            policy, quarter: Quarter(code: code)!, submitted: submitted.mapValues { CalendarDay($0)! },
            asOf: CalendarDay(asOf)!)
    }

    @Test func 二三_aPlanMissingAfterItsDayIsFoundInTheQuarterItWasDue() {
        #expect(findings("2026Q1", [:], asOf: "2026-01-31").isEmpty, "not yet due")
        #expect(
            findings("2026Q1", [:], asOf: "2026-03-31") == [
                .init(kind: .workPlan, state: .missing, due: CalendarDay("2026-01-31")!)
            ])
        #expect(findings("2026Q2", [:], asOf: "2026-06-30").isEmpty, "due in another quarter")
        #expect(findings("2026Q4", [:], asOf: "2026-12-31").map(\.kind) == [.workSummary])
    }

    @Test func 二三_aPlanReportedAfterItsDayIsLateAndOnItsDayIsNot() {
        #expect(findings("2026Q1", [.workPlan: "2026-01-31"], asOf: "2026-03-31").isEmpty)
        #expect(findings("2026Q1", [.workPlan: "2026-02-01"], asOf: "2026-03-31").map(\.state) == [.late])
    }

    /// The ledger page's column and the sheet's suggestions read one rule.
    @Test func 二三_aPlanStandsReportedLateMissingOrNotYetDue() {
        func standing(_ submitted: String?, due: String?, asOf: String) -> DocumentCheck.Standing {
            DocumentCheck.standing(
                submitted: submitted.flatMap(CalendarDay.init), due: due.flatMap(CalendarDay.init),
                asOf: CalendarDay(asOf)!)
        }
        #expect(standing("2026-01-31", due: "2026-01-31", asOf: "2026-12-04") == .reported)
        #expect(standing("2026-02-01", due: "2026-01-31", asOf: "2026-12-04") == .late)
        #expect(standing(nil, due: "2026-01-31", asOf: "2026-02-01") == .missing)
        #expect(standing(nil, due: "2026-01-31", asOf: "2026-01-31") == .notDue, "its day is not past")
        #expect(
            standing("2026-03-01", due: "2026-01-31", asOf: "2026-02-15") == .missing,
            "a report after the day read is not yet made")
        #expect(standing("2026-03-01", due: nil, asOf: "2026-12-04") == .reported, "no day set: never late")
        #expect(standing(nil, due: nil, asOf: "2026-12-04") == .notDue)
    }
}
