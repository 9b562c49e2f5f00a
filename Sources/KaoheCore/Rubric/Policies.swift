import Foundation

/// 扣奖: money deducted from the bonus of the secretaries of low-graded units, and the general branch's share.
public struct PenaltyPolicy: Sendable, Equatable {
    public var multiplier: Decimal
    /// The total at which the penalty vanishes (90 in the regulation).
    public var reference: Decimal
    public var rate: Decimal
    /// Grade keys that draw a penalty (基本合格, 不合格).
    public var grades: [String]
    public var generalSecretaryShare: Decimal
    public var deputySecretaryShare: Decimal

    public init(
        multiplier: Decimal, reference: Decimal, rate: Decimal, grades: [String],
        generalSecretaryShare: Decimal = PenaltyPolicy.standardGeneralSecretaryShare,
        deputySecretaryShare: Decimal = PenaltyPolicy.standardDeputySecretaryShare
    ) {
        self.multiplier = multiplier
        self.reference = reference
        self.rate = rate
        self.grades = grades
        self.generalSecretaryShare = generalSecretaryShare
        self.deputySecretaryShare = deputySecretaryShare
    }

    public static let standardGeneralSecretaryShare = Decimal(units: 6, scale: 1)
    public static let standardDeputySecretaryShare = Decimal(units: 4, scale: 1)
}

/// 年终评比: how the yearly composite is weighed and how many units are proposed for the award.
public struct AnnualPolicy: Sendable, Equatable {
    public var weights: AnnualWeights
    public var awards: AwardCount
    /// The unit within which units rate each other (互评 among the groups of one branch, the members of one group):
    /// nil for the whole level. An extension of the rubric file (`peers: { within: branch }`).
    public var peersWithin: UnitLevel?

    public init(weights: AnnualWeights = .standard, awards: AwardCount = .standard, peersWithin: UnitLevel? = nil) {
        self.weights = weights
        self.awards = awards
        self.peersWithin = peersWithin
    }

    public static let standard = AnnualPolicy()
}

/// The weights of the four sources of the yearly composite; they sum to 1.
public struct AnnualWeights: Sendable, Equatable {
    public var quarterly: Decimal
    /// 自评; the key `self` in the rubric file.
    public var selfRating: Decimal
    public var peer: Decimal
    public var panel: Decimal

    public init(quarterly: Decimal, selfRating: Decimal, peer: Decimal, panel: Decimal) {
        self.quarterly = quarterly
        self.selfRating = selfRating
        self.peer = peer
        self.panel = panel
    }

    public var sum: Decimal { quarterly + selfRating + peer + panel }

    /// Quarterly average 60 %, self 10 %, peer 15 %, panel 15 %.
    public static let standard = AnnualWeights(
        quarterly: Decimal(units: 6, scale: 1), selfRating: Decimal(units: 1, scale: 1),
        peer: Decimal(units: 15, scale: 2), panel: Decimal(units: 15, scale: 2)
    )
}

/// How many units of the rubric's level are proposed for the yearly award.
public struct AwardCount: Sendable, Equatable {
    public var min: Int
    public var max: Int
    /// The unit within which the awards are proposed, each its own `min`–`max` (优秀党员 per group): nil for the
    /// whole level at once. An extension of the rubric file (`within: group`).
    public var within: UnitLevel?

    public init(min: Int, max: Int, within: UnitLevel? = nil) {
        self.min = min
        self.max = max
        self.within = within
    }

    public static let standard = AwardCount(min: 1, max: 1)
}
