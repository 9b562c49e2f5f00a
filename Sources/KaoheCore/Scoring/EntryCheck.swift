import Foundation

extension Scorer {
    /// Every problem of a period's sheets, each unit listed once.
    public func problems(in sheets: [UnitSheet]) -> [EntryProblem] {
        var seen: Set<String> = []
        return sheets.flatMap { sheet in
            let repeated =
                seen.insert(sheet.unit).inserted
                ? [] : [EntryProblem(unit: sheet.unit, field: "unit", message: "the unit is listed twice")]
            return repeated + problems(in: sheet)
        }
    }

    /// Every problem of one sheet: unknown rules and vetoes, counts, points, cases and mitigations.
    /// Empty when the sheet can be scored.
    public func problems(in sheet: UnitSheet) -> [EntryProblem] {
        var problems: [EntryProblem] = []
        if sheet.baseBonus < 0 {
            problems.append(
                EntryProblem(
                    unit: sheet.unit, field: "baseBonus",
                    message: "baseBonus must not be negative, got \(sheet.baseBonus)"))
        }
        for veto in sheet.vetoes where rubric.veto(id: veto) == nil {
            problems.append(EntryProblem(unit: sheet.unit, field: "vetoes", message: "unknown veto '\(veto)'"))
        }
        for (index, entry) in sheet.entries.enumerated() {
            problems += entryProblems(entry).map {
                EntryProblem(unit: sheet.unit, entry: index + 1, rule: entry.rule, field: $0.field, message: $0.message)
            }
        }
        return problems
    }

    /// What is wrong with one entry, in words; empty when it can be applied.
    public func problems(in entry: Entry) -> [String] { entryProblems(entry).map(\.message) }

    private func entryProblems(_ entry: Entry) -> [(field: String, message: String)] {
        guard let rule = rule(id: entry.rule) else { return [("rule", "unknown rule '\(entry.rule)'")] }
        var problems: [(field: String, message: String)] = []
        switch (rule.unit, entry.count) {
        case (.each, nil):
            problems.append(("count", "count is required: the rule counts each occurrence"))
        case (.each, let count?) where count < 1:
            problems.append(("count", "count must be an integer ≥ 1, got \(count)"))
        case (.each, let count?) where count > rule.maxCount:
            problems.append(("count", "count must be at most \(rule.maxCount), got \(count)"))
        case (.once, _?):
            problems.append(("count", "count is refused: the rule applies once"))
        default:
            break
        }
        switch (rule.points, entry.points) {
        case (.range(let min, let max), nil):
            problems.append(("points", "points is required: choose a value in [\(min), \(max)]"))
        case (.range(let min, let max), let points?) where !rule.points.contains(points):
            problems.append(("points", "points \(points) outside [\(min), \(max)]"))
        case (.fixed(let fixed), _?):
            problems.append(("points", "points is refused: the rule's points are fixed at \(fixed)"))
        default:
            break
        }
        if rule.type == .bonus, (entry.caseText ?? "").allSatisfy(\.isWhitespace) {
            problems.append(("case", "a bonus needs its concrete case (case)"))
        }
        if entry.mitigation != .none {
            if rule.type == .bonus {
                problems.append(("mitigation", "mitigation '\(entry.mitigation.rawValue)' applies only to deductions"))
            } else if !(entry.selfFound && entry.corrected) {
                problems.append(
                    ("mitigation", "mitigation '\(entry.mitigation.rawValue)' needs selfFound and corrected"))
            }
        }
        return problems
    }
}
