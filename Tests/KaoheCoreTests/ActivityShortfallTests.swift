import Testing
@testable import KaoheCore

/// 细则 2.1: 党员大会全年不少于4次、支委会全年不少于12次、党课不少于4次、支部（党小组）组织活动每季不少于1次并每半年
/// 不少于2次、民主生活会全年不少于1次 — "少一次" deducts under 2.1.a; the ledger says how many were held.
@Suite struct ActivityShortfallTests {
    let requirements: [ActivityRequirement]

    init() throws {
        requirements = try SeedRubrics.load("bureau-branch.yaml").requirements
    }

    func shortfalls(_ code: String, _ held: [ActivityType: [String]], keptSince: String? = nil) -> [ActivityShortfall] {
        ActivityShortfall.of(Quarter(code: code)!, requirements: requirements,
                             held: held.mapValues { $0.map { CalendarDay($0)! } }, keptSince: keptSince.flatMap(Quarter.init(code:)))
    }

    func missing(_ found: [ActivityShortfall], _ activity: ActivityType) -> [Int] {
        found.filter { $0.requirement.activity == activity }.map(\.missing)
    }

    @Test func 二一_twelveCommitteeMeetingsAYearAreThreeEachQuarter() {
        let found = shortfalls("2026Q3", [.committeeMeeting: ["2026-07-06", "2026-08-03"]])
        let committee = found.filter { $0.requirement.activity == .committeeMeeting }
        #expect(committee.map(\.missing) == [1])
        #expect(committee.first?.held == 2 && committee.first?.required == 3 && committee.first?.span == .quarter)
        #expect(committee.first?.requirement.rule == "2.1.a")
    }

    @Test func 二一_noMeetingInTheQuarterIsThreeMissing() {
        #expect(missing(shortfalls("2026Q3", [:]), .committeeMeeting) == [3])
    }

    @Test func 二一_meetingsOfOtherQuartersAndYearsDoNotCount() {
        let held = ["2026-06-30", "2026-10-01", "2025-08-01", "2026-07-01", "2026-08-01", "2026-09-01"]
        #expect(missing(shortfalls("2026Q3", [.committeeMeeting: held]), .committeeMeeting).isEmpty)
        #expect(missing(shortfalls("2026Q2", [.committeeMeeting: held]), .committeeMeeting) == [2])
    }

    @Test func 二一_branchActivityEachQuarterAndTwiceEachHalfYear() {
        // The first quarter's shortfall is counted in the first quarter, and not again at the half year.
        #expect(missing(shortfalls("2026Q1", [:]), .branchActivity) == [1])
        #expect(missing(shortfalls("2026Q2", [:]), .branchActivity) == [1])
        // Once in each quarter meets both: one a quarter, two in the half.
        #expect(missing(shortfalls("2026Q2", [.branchActivity: ["2026-02-01", "2026-05-01"]]), .branchActivity).isEmpty)
        // Twice in the first quarter, none in the second: the quarter is short, the half is not.
        let found = shortfalls("2026Q2", [.branchActivity: ["2026-02-01", "2026-03-01"]])
        #expect(found.filter { $0.requirement.activity == .branchActivity }.map(\.span) == [.quarter])
        // Three in the first quarter do not excuse the second quarter's own one.
        #expect(missing(shortfalls("2026Q2", [.branchActivity: ["2026-01-05", "2026-02-01", "2026-03-01"]]), .branchActivity) == [1])
    }

    @Test func 二一_theYearlyDemocraticLifeMeetingIsCheckedInTheFourthQuarter() {
        #expect(missing(shortfalls("2026Q3", [:]), .democraticLife).isEmpty, "the year is not over")
        let found = shortfalls("2026Q4", [:]).filter { $0.requirement.activity == .democraticLife }
        #expect(found.map(\.missing) == [1] && found.first?.span == .year)
        #expect(missing(shortfalls("2026Q4", [.democraticLife: ["2026-01-20"]]), .democraticLife).isEmpty)
    }

    @Test func 三三_twoVisitsAYearAreCheckedOnTheWholeYear() {
        #expect(missing(shortfalls("2026Q4", [.visit: ["2026-02-10"]]), .visit) == [1])
        #expect(missing(shortfalls("2026Q4", [.visit: ["2026-02-10", "2026-12-28"]]), .visit).isEmpty)
    }

    @Test func 二八_duesAreHandedOverEachMonth() {
        let found = shortfalls("2026Q3", [.duesHandover: ["2026-07-15", "2026-09-15"]])
        #expect(missing(found, .duesHandover) == [1])
        #expect(found.first { $0.requirement.activity == .duesHandover }?.requirement.rule == "2.8.a")
    }

    @Test func aFullLedgerFallsShortOfNothingInTheQuarter() {
        let held: [ActivityType: [String]] = [
            .memberMeeting: ["2026-07-01"], .committeeMeeting: ["2026-07-02", "2026-08-02", "2026-09-02"],
            .groupMeeting: ["2026-07-03", "2026-08-03", "2026-09-03"], .partyLecture: ["2026-07-04"],
            .branchActivity: ["2026-08-05"], .duesHandover: ["2026-07-10", "2026-08-10", "2026-09-10"],
            .infoReport: ["2026-09-20"],
        ]
        #expect(shortfalls("2026Q3", held).isEmpty)
    }

    @Test func aLedgerStartedInJulyFindsNothingMissingInTheSpring() {
        #expect(shortfalls("2026Q2", [:], keptSince: "2026Q3").isEmpty, "nothing recorded is not nothing held")
        let autumn = shortfalls("2026Q4", [:], keptSince: "2026Q3")
        #expect(missing(autumn, .committeeMeeting) == [3], "the quarters it covers are checked as ever")
        #expect(missing(autumn, .branchActivity) == [1], "the second half's own quarters are counted once")
        #expect(missing(autumn, .democraticLife).isEmpty && missing(autumn, .visit).isEmpty,
                "a year the ledger covers only in part is not checked as a whole")
        #expect(missing(shortfalls("2027Q1", [:], keptSince: "2026Q3"), .committeeMeeting) == [3])
    }
}
