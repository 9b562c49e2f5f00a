import Foundation

/// The result of one unit's sheet: item by item, category by category, the total and its grade, the bonus
/// shown beside it, the vetoes and the secretary's penalty. Values are exact; round only to present them.
public struct UnitScore: Sendable, Equatable {
    public var unit: String
    /// Σ item scores; the bonus is not in it.
    public var total: Decimal
    /// Σ effective bonus points, kept apart from the total and the grade (加分部分不计入等级考核分).
    public var bonus: Decimal
    public var grade: GradeBand
    public var categories: [CategoryScore]
    public var items: [ItemScore]
    /// The ids of the vetoes that struck the unit, without repeats.
    public var vetoes: [String]
    /// The secretary's penalty, unrounded: the general branch's share is computed from these.
    public var unroundedPenalty: Decimal

    public init(
        unit: String, total: Decimal, bonus: Decimal, grade: GradeBand, categories: [CategoryScore], items: [ItemScore],
        vetoes: [String], unroundedPenalty: Decimal
    ) {
        self.unit = unit
        self.total = total
        self.bonus = bonus
        self.grade = grade
        self.categories = categories
        self.items = items
        self.vetoes = vetoes
        self.unroundedPenalty = unroundedPenalty
    }

    /// 取消评比资格.
    public var vetoed: Bool { !vetoes.isEmpty }

    /// The secretary's penalty (扣奖), rounded half-up to 0.01.
    public var penalty: Decimal { unroundedPenalty.rounded(scale: 2) }

    public func item(_ id: String) -> ItemScore? { items.first { $0.id == id } }
    public func category(_ id: String) -> CategoryScore? { categories.first { $0.id == id } }
}

public struct ItemScore: Sendable, Equatable {
    public var id: String
    public var category: String
    public var base: Decimal
    /// Σ effective deductions before the cap.
    public var deducted: Decimal
    /// max(0, base − deducted): 基本分扣完为止.
    public var score: Decimal

    public init(id: String, category: String, base: Decimal, deducted: Decimal) {
        self.id = id
        self.category = category
        self.base = base
        self.deducted = deducted
        self.score = max(0, base - deducted)
    }
}

public struct CategoryScore: Sendable, Equatable {
    public var id: String
    public var score: Decimal
    public var max: Decimal

    public init(id: String, score: Decimal, max: Decimal) {
        self.id = id
        self.score = score
        self.max = max
    }
}
