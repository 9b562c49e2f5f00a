import Testing

@testable import KaoheCore

@Suite struct QuarterTests {
    @Test func 四一_selfReportByDay10OfTheNextQuartersFirstMonth() {
        let q3 = Quarter(code: "2026Q3")!
        #expect(Schedule.standard.selfReportDeadline(for: q3).description == "2026-10-10")
        #expect(Schedule.standard.panelReviewDeadline(for: q3).description == "2026-10-15")
    }

    @Test func theFourthQuarterReportsInJanuaryOfTheNextYear() {
        let q4 = Quarter(code: "2026Q4")!
        #expect(Schedule.standard.selfReportDeadline(for: q4).description == "2027-01-10")
    }

    @Test func quarterCodesAreStrict() {
        #expect(Quarter(code: "2026Q5") == nil)
        #expect(Quarter(code: "26Q1") == nil)
        #expect(Quarter(code: "2026q2")?.code == "2026Q2")
        #expect(Quarter(code: "2026Q2")?.label == "2026年第二季度")
    }

    @Test func calendarDaysAreReadStrictly() {
        #expect(CalendarDay("2026-02-29") == nil)
        #expect(CalendarDay("2028-02-29") != nil)
        #expect(CalendarDay("2026-1-10") == nil)
        #expect(CalendarDay("2026-10-10")! < CalendarDay("2026-10-15")!)
    }

    @Test func aDayPastTheMonthsEndFallsOnItsLastDay() {
        let schedule = Schedule(selfReportDay: 31, panelReviewDay: 31, objectionDays: 7)
        #expect(schedule.selfReportDeadline(for: Quarter(code: "2026Q1")!).description == "2026-04-30")
    }
}

@Suite struct CalendarArithmeticTests {
    @Test func daysAddAcrossMonthsYearsAndLeapDays() {
        #expect(CalendarDay("2026-10-28")!.adding(days: 7).description == "2026-11-04")
        #expect(CalendarDay("2026-12-30")!.adding(days: 3).description == "2027-01-02")
        #expect(CalendarDay("2028-02-28")!.adding(days: 1).description == "2028-02-29")
        #expect(CalendarDay("2027-03-01")!.adding(days: -1).description == "2027-02-28")
    }

    @Test func daysUntilCountsWholeDays() {
        #expect(CalendarDay("2026-10-10")!.days(until: CalendarDay("2026-10-15")!) == 5)
        #expect(CalendarDay("2026-12-31")!.days(until: CalendarDay("2027-01-01")!) == 1)
        #expect(CalendarDay("2028-03-01")!.days(until: CalendarDay("2028-02-28")!) == -2)
    }

    /// 申诉 within the window: by default 7 days after publication.
    @Test func theObjectionWindowRunsObjectionDaysAfterPublication() {
        #expect(
            Schedule.standard.objectionDeadline(publishedOn: CalendarDay("2026-10-20")!).description == "2026-10-27")
    }
}
