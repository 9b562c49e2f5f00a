import Foundation
import PropertyBased
import Testing

@testable import KaoheCore

/// Properties that hold for any valid sheet of the sample rubric.
@Suite("Properties")
struct PropertyTests {
    /// One valid entry, drawn from a rule index, a count, a fraction of the rule's range and a mitigation.
    struct EntryDraw: Sendable, CustomStringConvertible {
        var rule: Int
        var count: Int
        var hundredths: Int
        var mitigation: Int

        func entry(in rubric: Rubric, rules: [RubricRule]) -> Entry {
            let rule = rules[self.rule % rules.count]
            var entry = Entry(rule: rule.id)
            if rule.unit == .each { entry.count = count }
            if case .range(let min, let max) = rule.points {
                entry.points = min + (max - min) * Decimal(hundredths) / 100
            }
            if rule.type == .bonus {
                entry.caseText = "具体事例"
            } else {
                entry.mitigation = [Mitigation.none, .reduced, .waived][mitigation % 3]
                entry.selfFound = entry.mitigation != .none
                entry.corrected = entry.mitigation != .none
            }
            return entry
        }

        var description: String { "rule#\(rule) ×\(count) \(hundredths)% m\(mitigation)" }
    }

    static let entryDraw = zip(Gen.int(in: 0...99), Gen.int(in: 1...12), Gen.int(in: 0...100), Gen.int(in: 0...2))
        .map { EntryDraw(rule: $0, count: $1, hundredths: $2, mitigation: $3) }
    static let sheetDraw = entryDraw.array(of: 0...25)

    let rubric: Rubric
    let scorer: Scorer

    init() throws {
        rubric = try SampleRubric.rubric()
        scorer = Scorer(rubric: rubric)
    }

    func entries(_ draws: [EntryDraw], type: RuleType? = nil) -> [Entry] {
        let rules = rubric.rules.filter { type == nil || $0.type == type }
        return draws.map { $0.entry(in: rubric, rules: rules) }
    }

    func score(_ entries: [Entry]) throws -> UnitScore {
        try scorer.score(UnitSheet(unit: "甲", baseBonus: 6000, entries: entries))
    }

    @Test("An item's score stays within [0, base]")
    func itemScoreWithinBase() async {
        await propertyCheck(input: Self.sheetDraw) { draws in
            let score = try score(entries(draws))
            for item in score.items {
                #expect(item.score >= 0 && item.score <= item.base, "\(item)")
            }
            #expect(score.total >= 0 && score.total <= rubric.maxScore)
        }
    }

    @Test("Adding a deduction never raises the total")
    func deductionNeverRaisesTotal() async {
        await propertyCheck(input: Self.sheetDraw, Self.entryDraw) { draws, extra in
            let before = try score(entries(draws))
            let after = try score(entries(draws) + entries([extra], type: .deduct))
            #expect(after.total <= before.total)
            #expect(after.bonus == before.bonus)
        }
    }

    @Test("Bonus entries never change the total or the grade")
    func bonusNeverChangesTotalOrGrade() async {
        await propertyCheck(input: Self.sheetDraw, Self.sheetDraw) { deductions, bonuses in
            let plain = try score(entries(deductions, type: .deduct))
            let withBonus = try score(entries(deductions, type: .deduct) + entries(bonuses, type: .bonus))
            #expect(withBonus.total == plain.total)
            #expect(withBonus.grade == plain.grade)
            #expect(withBonus.items == plain.items)
            #expect(withBonus.bonus >= plain.bonus)
        }
    }

    @Test("The penalty never rises as the total rises")
    func penaltyNeverRisesWithTotal() async throws {
        let policy = try #require(rubric.penalty)
        let total = Gen.int(in: 0...10_000).map { Decimal($0) / 100 }
        await propertyCheck(input: total, total, Gen.int(in: 0...20_000)) { a, b, baseBonus in
            let (low, high) = (min(a, b), max(a, b))
            let penaltyLow = policy.secretaryPenalty(
                total: low, grade: rubric.grade(for: low).key, baseBonus: Decimal(baseBonus))
            let penaltyHigh = policy.secretaryPenalty(
                total: high, grade: rubric.grade(for: high).key, baseBonus: Decimal(baseBonus))
            #expect(penaltyHigh <= penaltyLow, "total \(low) → \(penaltyLow), total \(high) → \(penaltyHigh)")
            #expect(penaltyHigh >= 0)
        }
    }
}
