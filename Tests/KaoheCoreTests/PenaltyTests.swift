import Foundation
import Testing

@testable import KaoheCore

/// 扣奖: baseBonus × multiplier × max(0, 1 − total / reference) × rate, for the listed grades only.
@Suite("Penalty")
struct PenaltyTests {
    let policy = PenaltyPolicy(
        multiplier: dec("1.3"), reference: 90, rate: dec("0.5"), grades: ["basic", "unqualified"])

    @Test("6000 × 1.3 × (1 − 85 / 90) × 50 % = 216.67")
    func formula() throws {
        let penalty = policy.secretaryPenalty(total: 85, grade: "unqualified", baseBonus: 6000)
        #expect(penalty.rounded(scale: 2) == dec("216.67"))
        #expect(penalty > dec("216.666") && penalty < dec("216.667"))
    }

    @Test("七(一)'s formula is written with the secretary's own numbers; a grade that pays nothing has none")
    func formulaText() {
        #expect(policy.formula(total: 88, grade: "basic", baseBonus: 6000) == "6000 × 1.3 × (1 − 88/90) × 50% = 86.67")
        #expect(policy.formula(total: 92, grade: "qualified", baseBonus: 6000) == nil)
    }

    @Test("A sheet carries its secretary's penalty, rounded to 0.01")
    func sheetPenalty() throws {
        let scorer = try SampleRubric.scorer()
        let sheet = UnitSheet(
            unit: "甲", baseBonus: 6000,
            entries: [Entry(rule: "2.1.c"), Entry(rule: "1.4.a", points: 4), Entry(rule: "1.1.a")])
        let score = try scorer.score(sheet)
        #expect(score.total == 84)
        #expect(score.penalty == dec("260"))
    }

    @Test("Only the listed grades pay: 合格 and 优秀 pay nothing")
    func onlyListedGrades() {
        #expect(policy.secretaryPenalty(total: dec("89.5"), grade: "basic", baseBonus: 6000) > 0)
        #expect(policy.secretaryPenalty(total: 90, grade: "qualified", baseBonus: 6000) == 0)
        #expect(policy.secretaryPenalty(total: 80, grade: "qualified", baseBonus: 6000) == 0)
    }

    @Test("Above the reference the penalty is 0, never negative")
    func neverNegative() {
        let lenient = PenaltyPolicy(multiplier: dec("1.3"), reference: 90, rate: dec("0.5"), grades: ["qualified"])
        #expect(lenient.secretaryPenalty(total: 95, grade: "qualified", baseBonus: 6000) == 0)
    }

    @Test("Money is rounded half-up to 0.01: 0.005 becomes 0.01")
    func roundedHalfUp() throws {
        let plain = PenaltyPolicy(multiplier: 1, reference: 100, rate: 1, grades: ["unqualified"])
        let penalty = plain.secretaryPenalty(total: dec("99.5"), grade: "unqualified", baseBonus: 1)
        #expect(penalty == dec("0.005"))
        #expect(penalty.rounded(scale: 2) == dec("0.01"))
        #expect(dec("0.0049").rounded(scale: 2) == 0)
    }

    @Test("General branch: Σ unrounded penalties / number of units, split 60 % / 40 %, rounded only at the end")
    func generalBranchFromUnroundedValues() throws {
        // 甲 pays 1191.666…, 乙 nothing. From the unrounded values: 595.833… → 595.83;
        // from the rounded 1191.67 it would be 595.835 → 595.84.
        let tiny = try Fixture.tinyRubric()
        let unrounded = try #require(tiny.penalty).secretaryPenalty(
            total: dec("3.5"), grade: "unqualified", baseBonus: 3000)
        let general = GeneralBranchPenalty(unroundedPenalties: [unrounded, 0], policy: tiny.penalty)
        #expect(
            general
                == GeneralBranchPenalty(
                    penalty: dec("595.83"), generalSecretary: dec("357.5"), deputySecretary: dec("238.33")))
        let fromRounded = GeneralBranchPenalty(
            unroundedPenalties: [unrounded.rounded(scale: 2), 0], policy: tiny.penalty)
        #expect(fromRounded.penalty == dec("595.84"))
    }

    @Test("No units or no penalty section: the general branch pays nothing")
    func generalBranchWithoutUnitsOrPolicy() {
        #expect(GeneralBranchPenalty(unroundedPenalties: [], policy: policy) == .zero)
        #expect(GeneralBranchPenalty(unroundedPenalties: [100], policy: nil) == .zero)
    }
}
