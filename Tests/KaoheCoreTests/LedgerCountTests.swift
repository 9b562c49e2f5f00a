import Testing

@testable import KaoheCore

/// 细则 2.1: 党员大会全年不少于4次、支委会全年不少于12次、党课不少于4次、支部（党小组）组织活动每季不少于1次并每半年
/// 不少于2次、民主生活会全年不少于1次 — "少一次" deducts under 2.1.a; 2.2 周三晚上的固定学习日; 2.7 每半年分析一次
/// 思想状况, 谈心; 2.8 每月上交党费; 2.10 每季上报信息; 3.3 全年走访. Each requirement counts over the span its text
/// names, and a window's shortfall is deducted once, in the quarter it ends in.
@Suite struct LedgerCountTests {
    let requirements: [ActivityRequirement]

    init() throws {
        requirements = try SeedRubrics.load("bureau-branch.yaml").requirements
    }

    /// The shortfalls a quarter's sheet is offered, read when the quarter is over (or on `asOf`).
    func shortfalls(
        _ code: String, _ held: [ActivityType: [String]], asOf: String? = nil,
        countedFrom: String? = nil
    ) -> [RequirementTally] {
        let quarter = Quarter(code: code)!
        return LedgerCount.shortfalls(
            of: quarter, requirements: requirements, held: held.mapValues { $0.map { CalendarDay($0)! } },
            asOf: asOf.flatMap(CalendarDay.init) ?? quarter.lastDay,
            countedFrom: countedFrom.flatMap(CalendarDay.init))
    }

    func missing(_ found: [RequirementTally], _ activity: ActivityType) -> [Int] {
        found.filter { $0.requirement.activity == activity }.map(\.missing)
    }

    func tallies(_ activity: ActivityType, _ code: String, _ held: [String], asOf: String) -> [RequirementTally] {
        let requirement = requirements.first { $0.activity == activity }!
        return LedgerCount.tallies(
            of: Quarter(code: code)!, requirement, held: held.map { CalendarDay($0)! },
            asOf: CalendarDay(asOf)!)
    }

    @Test func 二一_全年不少于_isCountedOverTheYearNotAQuarterShare() {
        // Twelve 支委会 a year: a quarter with one is not short, as long as the year reaches twelve.
        #expect(missing(shortfalls("2026Q3", [.committeeMeeting: ["2026-07-06"]]), .committeeMeeting).isEmpty)
        let year = (1...12).map { "2026-\($0 < 10 ? "0" : "")\($0)-05" }
        #expect(missing(shortfalls("2026Q4", [.committeeMeeting: year]), .committeeMeeting).isEmpty)
        let found = shortfalls("2026Q4", [.committeeMeeting: Array(year.prefix(9))]).filter {
            $0.requirement.activity == .committeeMeeting
        }
        #expect(
            found.map(\.missing) == [3] && found.first?.window.span == .year && found.first?.requirement.rule == "2.1.a"
        )
    }

    @Test func 二一_anEarlierQuarterShowsTheYearsPace() {
        let q2 = tallies(.memberMeeting, "2026Q2", ["2026-02-10", "2026-05-10"], asOf: "2026-06-30")
        let year = q2.first { $0.window.span == .year }!
        #expect(year.pace == "全年需 4 次，已 2 次")
        #expect(!year.behind && year.missing == 0 && !year.ended)
        let behind = tallies(.memberMeeting, "2026Q3", ["2026-02-10"], asOf: "2026-09-30").first {
            $0.window.span == .year
        }!
        #expect(behind.behind && behind.expected == 3, "three quarters gone, one meeting held")
    }

    @Test func 二一_meetingsOfOtherYearsDoNotCount() {
        let held = ["2025-08-01", "2025-09-01", "2027-01-01", "2026-03-01"]
        #expect(missing(shortfalls("2026Q4", [.memberMeeting: held]), .memberMeeting) == [3])
    }

    @Test func 二一_branchActivityEachQuarterAndThreeTimesEachHalfYear() {
        // The first quarter's shortfall is counted in the first quarter, and not again at the half year; the half's
        // third activity, beyond the two quarters' one each, is the half's own.
        #expect(missing(shortfalls("2026Q1", [:]), .branchActivity) == [1])
        #expect(missing(shortfalls("2026Q2", [:]), .branchActivity) == [1, 1])
        // Once in each quarter meets the quarters, not the half: it asks for a third.
        let once = shortfalls("2026Q2", [.branchActivity: ["2026-02-01", "2026-05-01"]])
            .filter { $0.requirement.activity == .branchActivity }
        #expect(once.map(\.window.span) == [.half] && once.map(\.missing) == [1])
        #expect(
            missing(
                shortfalls("2026Q2", [.branchActivity: ["2026-02-01", "2026-03-01", "2026-05-01"]]), .branchActivity
            )
            .isEmpty)
        // Twice in the first quarter, none in the second: the quarter is short, and so the half by that one only.
        let found = shortfalls("2026Q2", [.branchActivity: ["2026-02-01", "2026-03-01"]])
        #expect(found.filter { $0.requirement.activity == .branchActivity }.map(\.window.span) == [.quarter])
        // Three in the first quarter do not excuse the second quarter's own one.
        #expect(
            missing(
                shortfalls("2026Q2", [.branchActivity: ["2026-01-05", "2026-02-01", "2026-03-01"]]), .branchActivity)
                == [1])
    }

    @Test func 二一_theYearlyDemocraticLifeMeetingIsCheckedInTheFourthQuarter() {
        #expect(missing(shortfalls("2026Q3", [:]), .democraticLife).isEmpty, "the year is not over")
        let found = shortfalls("2026Q4", [:]).filter { $0.requirement.activity == .democraticLife }
        #expect(found.map(\.missing) == [1] && found.first?.window.span == .year)
        #expect(missing(shortfalls("2026Q4", [.democraticLife: ["2026-01-20"]]), .democraticLife).isEmpty)
    }

    @Test func 二二_theWednesdayStudyDayIsWeekly() {
        // 2026Q3 has 14 Wednesdays (1 July to 30 September); one week without a session is one deduction.
        let wednesdays = (0..<14).map { CalendarDay("2026-07-01")!.adding(days: 7 * $0).description }
        #expect(wednesdays.last == "2026-09-30")
        #expect(missing(shortfalls("2026Q3", [.studySession: wednesdays]), .studySession).isEmpty)
        let found = shortfalls("2026Q3", [.studySession: wednesdays.filter { $0 != "2026-08-12" }])
            .filter { $0.requirement.activity == .studySession }
        #expect(found.map(\.missing) == [1] && found.first?.window.anchor == CalendarDay("2026-08-12"))
        #expect(found.first?.requirement.rule == "2.2.b")
    }

    @Test func 二二_aStudySessionMovedWithinItsWeekCounts() {
        // 国庆: the Wednesday of 30 September moved to the Monday before; the week is kept.
        let wednesdays = (0..<13).map { CalendarDay("2026-07-01")!.adding(days: 7 * $0).description } + ["2026-09-28"]
        #expect(missing(shortfalls("2026Q3", [.studySession: wednesdays]), .studySession).isEmpty)
    }

    @Test func 二二_weeksNotYetOverAreNotDeducted() {
        let found = shortfalls("2026Q3", [.studySession: ["2026-07-01"]], asOf: "2026-07-20")
        // The weeks of 8 and 15 July are over and empty; the week of 22 July has not come.
        #expect(missing(found, .studySession) == [1, 1])
    }

    @Test func 二七_ideologyAndTalksEachHalfYear() {
        #expect(missing(shortfalls("2026Q1", [:]), .ideologyAnalysis).isEmpty, "the half year is not over")
        #expect(missing(shortfalls("2026Q2", [:]), .ideologyAnalysis) == [1])
        #expect(missing(shortfalls("2026Q2", [.ideologyAnalysis: ["2026-03-20"]]), .ideologyAnalysis).isEmpty)
        #expect(
            missing(shortfalls("2026Q4", [.talk: ["2026-03-20"]]), .talk) == [1],
            "the first half's talk does not serve the second")
    }

    @Test func 二八_duesAreHandedOverEachMonth() {
        let found = shortfalls("2026Q3", [.duesHandover: ["2026-07-15", "2026-07-20", "2026-09-15"]])
        #expect(missing(found, .duesHandover) == [1], "two in July do not make up for August")
        #expect(found.first { $0.requirement.activity == .duesHandover }?.window.label == "2026年8月")
        #expect(found.first { $0.requirement.activity == .duesHandover }?.requirement.rule == "2.8.a")
    }

    @Test func 二十_anInformationReportEachQuarter() {
        #expect(missing(shortfalls("2026Q3", [:]), .infoReport) == [1])
        #expect(missing(shortfalls("2026Q3", [.infoReport: ["2026-09-30"]]), .infoReport).isEmpty)
    }

    @Test func 三三_twoVisitsAYearAreCheckedOnTheWholeYear() {
        #expect(missing(shortfalls("2026Q3", [:]), .visit).isEmpty)
        #expect(missing(shortfalls("2026Q4", [.visit: ["2026-02-10"]]), .visit) == [1])
        #expect(missing(shortfalls("2026Q4", [.visit: ["2026-02-10", "2026-12-28"]]), .visit).isEmpty)
    }

    @Test func aQuarterNotOverDeductsNothingAndShowsItsPace() {
        let found = shortfalls("2026Q3", [:], asOf: "2026-08-20")
        #expect(
            found.allSatisfy { $0.window.span == .week || $0.window.span == .month },
            "only weeks and months already over are deducted")
        let info = tallies(.infoReport, "2026Q3", [], asOf: "2026-08-20").first!
        #expect(!info.ended && info.missing == 0 && info.short == 1 && info.behind)
    }

    @Test func aFullLedgerFallsShortOfNothingInTheQuarter() {
        let wednesdays = (0..<14).map { CalendarDay("2026-07-01")!.adding(days: 7 * $0).description }
        let held: [ActivityType: [String]] = [
            .committeeMeeting: ["2026-07-02"], .branchActivity: ["2026-08-05"],
            .duesHandover: ["2026-07-10", "2026-08-10", "2026-09-10"], .infoReport: ["2026-09-20"],
            .studySession: wednesdays,
        ]
        #expect(shortfalls("2026Q3", held).isEmpty)
    }

    @Test func 部分记账_windowsBegunBeforeTheCompleteLedgerDeductNothing() {
        #expect(shortfalls("2026Q2", [:], countedFrom: "2026-07-01").isEmpty, "nothing recorded is not nothing held")
        let autumn = shortfalls("2026Q4", [:], countedFrom: "2026-07-01")
        #expect(
            missing(autumn, .branchActivity) == [1, 1],
            "the fourth quarter's own, and the half's third beyond its quarters")
        #expect(missing(autumn, .talk) == [1], "the second half began with the ledger")
        #expect(
            missing(autumn, .democraticLife).isEmpty && missing(autumn, .visit).isEmpty,
            "a year the ledger covers only in part is not checked as a whole")
        #expect(missing(shortfalls("2027Q4", [:], countedFrom: "2026-07-01"), .democraticLife) == [1])
    }

    @Test func theRubricNamesEachSpan() {
        #expect(requirements.first { $0.activity == .studySession }?.frequency == "每周三不少于 1 次")
        #expect(requirements.first { $0.activity == .branchActivity }?.frequency == "每季不少于 1 次，每半年不少于 3 次（各党小组分别计）")
        #expect(CalendarDay("2026-12-02")?.weekday == 3 && CalendarDay("2026-01-04")?.weekday == 7)
    }
}
