import Foundation
import Testing

@testable import KaoheCore

/// 细则 2.5 内审, 5.1 民主评议 and 部门考核, 5.3 满意率, 6.1 中层, 6.3 局党组成员: the yearly facts, kept where they arise,
/// become suggestions on the sheet the rubric names.
@Suite struct FactCheckTests {
    let q4 = Quarter(year: 2026, quarter: 4)!
    let q3 = Quarter(year: 2026, quarter: 3)!

    func branch() throws -> Rubric { try SeedRubrics.load("bureau-branch.yaml") }

    func findings(_ quarter: Quarter, _ facts: FactCheck.Facts) throws -> [FactCheck.Finding] {
        let rubric = try branch()
        return FactCheck.findings(
            in: quarter, policy: try #require(rubric.facts), thresholds: rubric.thresholds, facts: facts)
    }

    @Test func 五一_基本合格AndNot合格AreEachSuggestedOnTheFourthQuarterWithTheNames() throws {
        let facts = FactCheck.Facts(appraisals: [
            ("张三", .basic), ("李四", .qualified), ("王五", .failed), ("赵六", .basic),
        ])
        #expect(
            try findings(q4, facts) == [
                .init(rule: "5.1.a", count: 2, reason: "民主评议基本合格 2 人：张三、赵六"),
                .init(rule: "5.1.b", count: 1, reason: "民主评议不合格 1 人：王五"),
            ])
        #expect(try findings(q3, facts).isEmpty)
    }

    @Test func 五一_部门考核基本称职And不称职() throws {
        let facts = FactCheck.Facts(reviews: [("张三", .competent), ("李四", .failed)])
        #expect(try findings(q4, facts).map(\.rule) == ["5.1.d"])
    }

    @Test func 五三_aRateBelowTheThresholdIsSuggestedAndOneAtItIsNot() throws {
        #expect(try findings(q4, .init(satisfaction: dec("89.5"))).map(\.rule) == ["5.3.b"])
        #expect(try findings(q4, .init(satisfaction: dec("90"))).isEmpty)
        #expect(try findings(q4, .init()).isEmpty)
    }

    @Test func 二五_eachFindingCountsOnTheQuarterOfItsDayUnderItsKindsRule() throws {
        let facts = FactCheck.Facts(findings: [
            (CalendarDay("2026-08-10")!, .observation, "会议记录缺签名"),
            (CalendarDay("2026-08-10")!, .observation, ""),
            (CalendarDay("2026-11-03")!, .major, "未建党员发展档案"),
        ])
        #expect(
            try findings(q3, facts) == [
                .init(rule: "2.5.a", count: 2, reason: "内审观察项 2 个：2026-08-10 会议记录缺签名；2026-08-10")
            ])
        #expect(try findings(q4, facts).map(\.rule) == ["2.5.c"])
    }

    @Test func 六一_aSecretaryWithoutA中层PostIsSuggestedEveryQuarter() throws {
        #expect(try findings(q3, .init(secretary: ("周书记", false))).map(\.rule) == ["6.1.a"])
        #expect(try findings(q3, .init(secretary: ("周书记", true))).isEmpty)
        #expect(try findings(q3, .init()).isEmpty, "nothing is said when the secretary's record is not known")
    }

    @Test func 六三_each局党组成员AbsenceWithoutLeaveCountsInItsQuarter() throws {
        let facts = FactCheck.Facts(leaderAbsences: [
            ("钱局长", .groupMeeting, CalendarDay("2026-07-08")!), ("钱局长", .branchActivity, CalendarDay("2026-09-02")!),
            ("钱局长", .groupMeeting, CalendarDay("2026-10-14")!),
        ])
        let found = try findings(q3, facts)
        #expect(found.map(\.rule) == ["6.3.a"])
        #expect(found.first?.count == 2)
    }

    @Test func aFactsRuleMustBeADeductRuleOfTheRubricAndTheQuarterOneToFour() throws {
        let yaml = try SeedRubrics.text("bureau-branch.yaml")
            .replacingOccurrences(of: "secretaryPost: \"6.1.a\"", with: "secretaryPost: \"6.9.z\"")
            .replacingOccurrences(of: "  quarter: 4  # default: 民主评议", with: "  quarter: 5  # default: 民主评议")
        let problems = RubricLoader.problems(yaml: yaml, file: "bureau-branch.yaml").map(\.description).joined()
        #expect(problems.contains("unknown rule '6.9.z'"))
        #expect(problems.contains("'quarter' must be 1 to 4, got 5"))
    }
}
