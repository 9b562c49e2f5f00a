import Foundation

/// 实施细则: one versioned rubric, categories → items → rules, with the grade bands, vetoes and the money and
/// yearly policies that go with it. A period is bound to one rubric version forever.
public struct Rubric: Sendable, Equatable {
    public var id: String
    public var version: String
    public var title: String
    /// The kind of unit the rubric assesses.
    public var level: UnitLevel
    /// Equals the sum of all item bases.
    public var maxScore: Decimal
    /// The share of a deduction kept when it is mitigated as `reduced` (自查发现并已纠正, 从轻扣分).
    public var reducedFactor: Decimal
    /// Highest first; `min` strictly decreasing; the last band starts at 0.
    public var grades: [GradeBand]
    public var categories: [RubricCategory]
    public var vetoes: [Veto]
    public var penalty: PenaltyPolicy?
    public var annual: AnnualPolicy
    public var schedule: Schedule
    public var requirements: [ActivityRequirement]
    /// A member's sheet: the deduct rule each unexcused absence from an activity applies (细则 1.1 无故缺席每次).
    public var attendance: [AttendanceRule] = []
    /// 细则 2.3: the year's plans and summary, each due by a day, and the rules for one missing or late.
    public var documents: DocumentPolicy?
    /// Named numbers the 细则's texts quote (`satisfaction: 90` for 5.3's 满意率), so that a text never says one
    /// number while the rubric means another (`RubricText`).
    public var thresholds: [String: Decimal] = [:]
    /// The yearly facts the 细则 counts and the rule each applies (`facts:`, an extension).
    public var facts: FactPolicy?

    public init(
        id: String, version: String, title: String, level: UnitLevel, maxScore: Decimal,
        reducedFactor: Decimal = Rubric.defaultReducedFactor, grades: [GradeBand], categories: [RubricCategory],
        vetoes: [Veto] = [], penalty: PenaltyPolicy? = nil, annual: AnnualPolicy = .standard,
        schedule: Schedule = .standard, requirements: [ActivityRequirement] = []
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.level = level
        self.maxScore = maxScore
        self.reducedFactor = reducedFactor
        self.grades = grades
        self.categories = categories
        self.vetoes = vetoes
        self.penalty = penalty
        self.annual = annual
        self.schedule = schedule
        self.requirements = requirements
    }

    public static let defaultReducedFactor = Decimal(units: 5, scale: 1)

    public var items: [RubricItem] { categories.flatMap(\.items) }
    public var rules: [RubricRule] { items.flatMap(\.rules) }

    /// Walks the categories in place: `rules` copies every rule of the rubric, and a board asks this of each entry
    /// of fifty sheets (that copying was half of the open quarter's dashboard).
    public func rule(id: String) -> RubricRule? {
        for category in categories {
            for item in category.items {
                if let rule = item.rules.first(where: { $0.id == id }) { return rule }
            }
        }
        return nil
    }
    /// The rules that cannot apply beside `rule` on one sheet (`RubricItem.excluded(by:)`).
    public func excluded(by rule: String) -> [String] {
        items.first { $0.rules.contains { $0.id == rule } }?.excluded(by: rule) ?? []
    }
    public func grade(key: String) -> GradeBand? { grades.first { $0.key == key } }
    public func veto(id: String) -> Veto? { vetoes.first { $0.id == id } }

    /// The first band whose `min` ≤ total (bands are listed highest first), so 89.5 falls in the band below 90.
    /// A valid rubric's last band starts at 0, so every total ≥ 0 has a band; below all bands, the lowest.
    public func grade(for total: Decimal) -> GradeBand {
        grades.first { $0.min <= total } ?? grades.last ?? GradeBand(key: "", label: "", min: 0)
    }
}

/// The kind of unit a rubric assesses: 党支部, 党小组 or 党员.
public enum UnitLevel: String, Sendable, CaseIterable, Codable {
    case branch, group, member
}

/// 类别 (一)…(六).
public struct RubricCategory: Sendable, Equatable {
    public var id: String
    public var title: String
    public var items: [RubricItem]

    public init(id: String, title: String, items: [RubricItem]) {
        self.id = id
        self.title = title
        self.items = items
    }

    /// The category's points: the sum of its items' bases.
    public var points: Decimal { items.reduce(0) { $0 + $1.base } }
}

/// 考核内容: one criterion with its base points (基本分).
public struct RubricItem: Sendable, Equatable {
    public var id: String
    public var text: String
    public var base: Decimal
    public var rules: [RubricRule]

    public init(id: String, text: String, base: Decimal, rules: [RubricRule]) {
        self.id = id
        self.text = text
        self.base = base
        self.rules = rules
    }
}

/// 扣分标准 / 加分标准: "每次扣1分", "扣3-4分", "视情加1-2分".
public struct RubricRule: Sendable, Equatable {
    public var id: String
    public var type: RuleType
    public var text: String
    public var points: RulePoints
    public var unit: RuleUnit
    /// The most occurrences one entry may count (`unit: each` only): the rubric's `maxCount`, else
    /// `defaultMaxCount`. A bound on input, not a number of the 办法: no count can overflow the arithmetic.
    public var maxCount: Int
    /// The veto (一票否决, `vetoes`) that is the same event as this rule, if any (细则 3.2.c 违反计划生育 ~ V5):
    /// entering the deduction offers to record the veto too. An extension of the rubric file.
    public var veto: String?
    /// Rules of the same item this one is a graver case of (2.4.a 没有开展自查 ~ 2.4.b 未及时上报): it never costs
    /// less than any of them, which the loader checks. An extension of the rubric file.
    public var graverThan: [String]
    /// Rules of the same item that cannot apply with this one on a sheet (a branch that held no activity did not
    /// hold a poor one): one entry in force among them. Read both ways. An extension of the rubric file.
    public var excludes: [String]

    public init(
        id: String, type: RuleType, text: String, points: RulePoints, unit: RuleUnit,
        maxCount: Int = RubricRule.defaultMaxCount, veto: String? = nil, graverThan: [String] = [],
        excludes: [String] = []
    ) {
        self.id = id
        self.type = type
        self.text = text
        self.points = points
        self.unit = unit
        self.maxCount = maxCount
        self.veto = veto
        self.graverThan = graverThan
        self.excludes = excludes
    }

    /// The most one entry of the rule can cost: its highest points, times its `maxCount` when it counts each.
    public var most: Decimal { points.most * Decimal(unit == .each ? maxCount : 1) }

    /// Far above any branch's quarter (every member missing every meeting), far below any overflow.
    public static let defaultMaxCount = 999
}

public enum RuleType: String, Sendable, CaseIterable, Codable {
    case deduct, bonus
}

/// `once` takes no count; `each` is multiplied by the entry's count (per occurrence, per person-time, …).
public enum RuleUnit: String, Sendable, CaseIterable, Codable {
    case once, each
}

/// A rule's points: fixed, or a range inside which the assessor chooses (both ends included).
public enum RulePoints: Sendable, Equatable, CustomStringConvertible {
    case fixed(Decimal)
    case range(min: Decimal, max: Decimal)

    public var isRange: Bool {
        if case .range = self { return true }
        return false
    }

    /// The least and the most the rule's points can be.
    public var least: Decimal {
        switch self {
        case .fixed(let value): value
        case .range(let min, _): min
        }
    }

    public var most: Decimal {
        switch self {
        case .fixed(let value): value
        case .range(_, let max): max
        }
    }

    public func contains(_ points: Decimal) -> Bool {
        switch self {
        case .fixed(let value): points == value
        case .range(let min, let max): min <= points && points <= max
        }
    }

    public var description: String {
        switch self {
        case .fixed(let value): "\(value)"
        case .range(let min, let max): "[\(min), \(max)]"
        }
    }
}

/// One grade band: 优秀, 合格, 基本合格, 不合格.
public struct GradeBand: Sendable, Equatable {
    public var key: String
    public var label: String
    public var min: Decimal

    public init(key: String, label: String, min: Decimal) {
        self.key = key
        self.label = label
        self.min = min
    }
}

/// 取消评比资格: an event that removes a unit from the year's awards.
public struct Veto: Sendable, Equatable {
    public var id: String
    public var text: String

    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}
