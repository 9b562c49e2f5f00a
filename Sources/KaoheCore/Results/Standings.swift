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
        ranked(scores, total: \.total, unit: \.unit).map { Standing(rank: $0.rank, score: $0.item) }
    }

    /// The one ranking rule for anything with a unit and a total (a score as computed, or as it was published):
    /// highest total first, equal totals share a rank, the unit's code breaks the tie in order only.
    public static func ranked<Item>(_ items: [Item], total: (Item) -> Decimal, unit: (Item) -> String) -> [(
        rank: Int, item: Item
    )] {
        let ordered = items.sorted { (total($0), unit($1)) > (total($1), unit($0)) }
        var ranked: [(rank: Int, item: Item)] = []
        for (index, item) in ordered.enumerated() {
            let rank = index > 0 && total(ordered[index - 1]) == total(item) ? ranked[index - 1].rank : index + 1
            ranked.append((rank, item))
        }
        return ranked
    }
}
