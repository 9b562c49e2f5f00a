import Foundation
import Testing

@testable import KaoheCore

/// 党团园地 ranking: by total; the bonus never decides it (加分部分不计入等级考核分).
@Suite struct StandingsTests {
    func score(_ unit: String, _ total: String, bonus: String = "0") throws -> UnitScore {
        var score = try SampleRubric.scorer().score(UnitSheet(unit: unit, entries: []))
        score.total = dec(total)
        score.bonus = dec(bonus)
        return score
    }

    @Test func equalTotalsShareARankAndTheNextRankSkips() throws {
        let standings = Standings.rank([
            try score("branch-3", "96.5"), try score("branch-1", "99"), try score("branch-2", "96.5"),
            try score("branch-4", "90"),
        ])
        #expect(standings.map(\.score.unit) == ["branch-1", "branch-2", "branch-3", "branch-4"])
        #expect(standings.map(\.rank) == [1, 2, 2, 4])
    }

    @Test func aBonusDoesNotLiftAUnitAboveAnEqualTotal() throws {
        let standings = Standings.rank([try score("甲", "97", bonus: "2"), try score("乙", "97")])
        #expect(standings.map(\.rank) == [1, 1])
    }
}

@Suite struct LateRuleTests {
    /// 细则 2.4: 开展考核未及时上报的 is the seed rubric's own rule for a late self-report.
    @Test func theSeedRubricNamesItsLateReportRule() throws {
        let rubric = try RubricLoader.load(yaml: try SeedRubrics.text("bureau-branch.yaml"), file: "bureau-branch.yaml")
        #expect(rubric.schedule.lateRule == "2.4.b")
        #expect(rubric.rule(id: "2.4.b")?.text == "开展考核未及时上报的")
    }

    @Test func aLateRuleMustBeADeductRuleOfTheRubric() throws {
        let yaml = try Fixture.text("tiny-rubric.yaml") + "\nschedule:\n  lateRule: \"9.9.z\"\n"
        #expect(throws: RubricProblems.self) { try RubricLoader.load(yaml: yaml, file: "tiny.yaml") }
    }
}
