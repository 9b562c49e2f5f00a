import Foundation

extension PenaltyPolicy {
    /// 扣奖 of one unit's secretary, unrounded:
    /// baseBonus × multiplier × max(0, 1 − total / reference) × rate when the grade is listed, else 0.
    /// Computed as … × (reference − total) / reference so that the one division comes last.
    public func secretaryPenalty(total: Decimal, grade: String, baseBonus: Decimal) -> Decimal {
        guard grades.contains(grade), reference > 0 else { return 0 }
        let shortfall = max(0, reference - total)
        return baseBonus * multiplier * rate * shortfall / reference
    }

    /// The formula of 办法 七(一) with one secretary's numbers filled in, as the 扣奖 sheet prints it:
    /// `6000 × 1.3 × (1 − 88/90) × 50% = 86.67`; nil when the grade draws no penalty.
    public func formula(total: Decimal, grade: String, baseBonus: Decimal) -> String? {
        guard grades.contains(grade), reference > 0 else { return nil }
        let penalty = secretaryPenalty(total: total, grade: grade, baseBonus: baseBonus).rounded(scale: 2)
        let shortfall = total >= reference ? "0" : "1 − \(total)/\(reference)"
        return "\(baseBonus) × \(multiplier) × (\(shortfall)) × \(rate * 100)% = \(penalty)"
    }
}

/// The general branch's penalty: Σ the secretaries' unrounded penalties / the number of units assessed,
/// split between the general secretary (总支书记) and the deputy (副书记). Each figure is rounded half-up to
/// 0.01 only at the end, from the unrounded values.
public struct GeneralBranchPenalty: Sendable, Equatable, Codable {
    public var penalty: Decimal
    public var generalSecretary: Decimal
    public var deputySecretary: Decimal

    public init(penalty: Decimal, generalSecretary: Decimal, deputySecretary: Decimal) {
        self.penalty = penalty
        self.generalSecretary = generalSecretary
        self.deputySecretary = deputySecretary
    }

    public static let zero = GeneralBranchPenalty(penalty: 0, generalSecretary: 0, deputySecretary: 0)

    /// `unroundedPenalties` holds one value per unit assessed, those without a penalty included (as 0).
    /// Zero when there is no unit or no penalty policy.
    public init(unroundedPenalties: [Decimal], policy: PenaltyPolicy?) {
        guard let policy, !unroundedPenalties.isEmpty else {
            self = .zero
            return
        }
        let share = unroundedPenalties.reduce(0, +) / Decimal(unroundedPenalties.count)
        self.init(
            penalty: share.rounded(scale: 2),
            generalSecretary: (share * policy.generalSecretaryShare).rounded(scale: 2),
            deputySecretary: (share * policy.deputySecretaryShare).rounded(scale: 2)
        )
    }

    /// The general branch's penalty for a period's unit scores.
    public init(scores: [UnitScore], policy: PenaltyPolicy?) {
        self.init(unroundedPenalties: scores.map(\.unroundedPenalty), policy: policy)
    }
}
