import Foundation

/// Scores units' sheets against one rubric. Pure: the same rubric and sheet always give the same score,
/// on the command line and in the web application alike.
public struct Scorer: Sendable {
    public let rubric: Rubric
    /// Each rule by its id, with the id of the item it belongs to.
    private let rules: [String: (rule: RubricRule, item: String)]

    public init(rubric: Rubric) {
        self.rubric = rubric
        var rules: [String: (rule: RubricRule, item: String)] = [:]
        for item in rubric.items {
            for rule in item.rules where rules[rule.id] == nil { rules[rule.id] = (rule, item.id) }
        }
        self.rules = rules
    }

    /// The rule with this id, if the rubric has one.
    public func rule(id: String) -> RubricRule? { rules[id]?.rule }

    /// Scores one sheet, or names every problem of its entries and vetoes.
    public func score(_ sheet: UnitSheet) throws(EntryProblems) -> UnitScore {
        let problems = self.problems(in: sheet)
        guard problems.isEmpty else { throw EntryProblems(problems) }
        return scoreValidated(sheet)
    }

    /// Scores several sheets, naming the problems of all of them at once.
    public func score(_ sheets: [UnitSheet]) throws(EntryProblems) -> [UnitScore] {
        let problems = self.problems(in: sheets)
        guard problems.isEmpty else { throw EntryProblems(problems) }
        return sheets.map(scoreValidated)
    }

    /// Points the entry moves its item by (deduct) or adds to the bonus (bonus):
    /// points × (count or 1) × (1, reducedFactor or 0 by mitigation).
    public func effectivePoints(of entry: Entry, under rule: RubricRule) -> Decimal {
        let points: Decimal
        switch rule.points {
        case .fixed(let fixed): points = fixed
        case .range: points = entry.points ?? 0
        }
        let times = Decimal(rule.unit == .each ? entry.count ?? 1 : 1)
        let kept: Decimal
        switch entry.mitigation {
        case .none: kept = 1
        case .reduced: kept = rubric.reducedFactor
        case .waived: kept = 0
        }
        return points * times * kept
    }

    private func scoreValidated(_ sheet: UnitSheet) -> UnitScore {
        var deducted: [String: Decimal] = [:]
        var bonus: Decimal = 0
        for entry in sheet.entries {
            guard let (rule, item) = rules[entry.rule] else { continue }
            let points = effectivePoints(of: entry, under: rule)
            switch rule.type {
            case .deduct: deducted[item, default: 0] += points
            case .bonus: bonus += points
            }
        }
        var items: [ItemScore] = []
        var categories: [CategoryScore] = []
        for category in rubric.categories {
            let scores = category.items.map {
                ItemScore(id: $0.id, category: category.id, base: $0.base, deducted: deducted[$0.id] ?? 0)
            }
            items += scores
            categories.append(
                CategoryScore(id: category.id, score: scores.reduce(0) { $0 + $1.score }, max: category.points))
        }
        let total = items.reduce(Decimal(0)) { $0 + $1.score }
        let grade = rubric.grade(for: total)
        var vetoes: [String] = []
        for veto in sheet.vetoes where !vetoes.contains(veto) { vetoes.append(veto) }
        return UnitScore(
            unit: sheet.unit, total: total, bonus: bonus, grade: grade, categories: categories, items: items,
            vetoes: vetoes,
            unroundedPenalty: rubric.penalty?.secretaryPenalty(
                total: total, grade: grade.key, baseBonus: sheet.baseBonus) ?? 0
        )
    }
}
