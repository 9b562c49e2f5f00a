import Foundation

/// Made-up but valid entries for a rubric, the same every time from the same seed: the rows of `kaohe generate`'s
/// bureau and the sheets of the scoring benchmark. A few a branch, fewer a group, one member in four; deductions
/// mostly, now and then a bonus with its case; the unit's own in self-assessment and, once the quarter is finished,
/// the panel's too. Each is checked as an entry made by hand would be.
public struct SyntheticEntries: Sendable {
    public struct Made: Sendable {
        public var entry: Entry
        /// Found by the panel (考核小组) rather than in the unit's self-assessment.
        public var byPanel: Bool
    }

    private var dice: Dice

    public init(seed: UInt64) { dice = Dice(seed: seed) }

    public mutating func entries(for level: UnitLevel, rubric: Rubric, finished: Bool) -> [Made] {
        let wanted =
            switch level {
            case .branch: dice.below(5)
            case .group: dice.below(3)
            case .member: dice.below(4) == 0 ? 1 : 0
            }
        let rules = rubric.rules
        let scorer = Scorer(rubric: rubric)
        var made: [Made] = []
        for index in 0..<wanted where !rules.isEmpty {
            let rule = rules[dice.below(rules.count)]
            let byPanel = finished && index % 2 == 1
            var entry = Entry(rule: rule.id, note: "\(rule.id)：第\(index + 1)项，\(byPanel ? "考核小组检查发现" : "自查发现")")
            if rule.unit == .each { entry.count = 1 + dice.below(min(3, rule.maxCount)) }
            if case .range(let low, let high) = rule.points { entry.points = dice.below(2) == 0 ? low : high }
            if rule.type == .bonus { entry.caseText = "获上级通报表扬（模拟数据）" }
            if !byPanel, rule.type == .deduct { entry.selfFound = dice.below(3) == 0 }
            guard scorer.problems(in: entry).isEmpty else { continue }
            made.append(Made(entry: entry, byPanel: byPanel))
        }
        return made
    }
}

/// SplitMix64: a small, fast generator whose sequence depends only on its seed.
struct Dice: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}
