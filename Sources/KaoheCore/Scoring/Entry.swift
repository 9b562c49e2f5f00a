import Foundation

/// 扣分/加分记录: one application of a rule to a unit in a period.
public struct Entry: Sendable, Hashable, Encodable {
    /// The id of the rubric rule applied.
    public var rule: String
    /// How many times (`unit: each` rules only), an integer ≥ 1.
    public var count: Int?
    /// The points chosen inside a range rule's range (range rules only).
    public var points: Decimal?
    /// 具体事例: the concrete case a bonus entry must carry (`case` in the contract).
    public var caseText: String?
    public var note: String?
    /// 自查发现: found by the unit itself.
    public var selfFound: Bool
    /// 已纠正: already put right.
    public var corrected: Bool
    public var mitigation: Mitigation

    public init(
        rule: String, count: Int? = nil, points: Decimal? = nil, caseText: String? = nil, note: String? = nil,
        selfFound: Bool = false, corrected: Bool = false, mitigation: Mitigation = .none
    ) {
        self.rule = rule
        self.count = count
        self.points = points
        self.caseText = caseText
        self.note = note
        self.selfFound = selfFound
        self.corrected = corrected
        self.mitigation = mitigation
    }

    enum CodingKeys: String, CodingKey {
        case rule, count, points, caseText = "case", note, selfFound, corrected, mitigation
    }
}

/// 从轻或不予扣分: how a self-found and corrected problem is deducted.
public enum Mitigation: String, Sendable, CaseIterable, Codable {
    /// Deducted in full.
    case none
    /// Deducted × the rubric's reducedFactor.
    case reduced
    /// Not deducted.
    case waived
}

/// One unit's sheet for one period: the entries in force, the vetoes that struck it and its secretary's
/// base bonus (行政考核基数奖金), which the penalty is computed from.
public struct UnitSheet: Sendable, Hashable, Encodable {
    public var unit: String
    public var baseBonus: Decimal
    public var vetoes: [String]
    public var entries: [Entry]

    public init(unit: String, baseBonus: Decimal = 0, vetoes: [String] = [], entries: [Entry] = []) {
        self.unit = unit
        self.baseBonus = baseBonus
        self.vetoes = vetoes
        self.entries = entries
    }
}
