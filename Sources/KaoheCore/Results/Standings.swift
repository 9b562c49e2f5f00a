import Foundation

/// 党团园地: the published ranking of one period's units. The order is the total's (the grade's basis);
/// the bonus is kept apart and never lifts a unit above another (加分部分不计入等级考核分), so equal totals
/// share a rank (1, 1, 3).
public struct Standing: Sendable, Equatable {
    public var rank: Int
    public var score: UnitScore
}

public enum Standings {
    public static func rank(_ scores: [UnitScore]) -> [Standing] {
        let ordered = scores.sorted { ($0.total, $1.unit) > ($1.total, $0.unit) }
        var standings: [Standing] = []
        for (index, score) in ordered.enumerated() {
            let rank = index > 0 && ordered[index - 1].total == score.total ? standings[index - 1].rank : index + 1
            standings.append(Standing(rank: rank, score: score))
        }
        return standings
    }
}
