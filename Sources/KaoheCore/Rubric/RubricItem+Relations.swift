import Foundation

/// How an item's rules stand to each other (`graverThan`, `excludes`): what one entry may not be entered beside,
/// and how much the item's deductions can take together.
extension RubricItem {
    /// The rules that cannot apply beside `rule` on one sheet: those it excludes and those that exclude it.
    public func excluded(by rule: String) -> [String] {
        let named = rules.first { $0.id == rule }?.excludes ?? []
        let naming = rules.filter { $0.excludes.contains(rule) }.map(\.id)
        return rules.map(\.id).filter { $0 != rule && (named.contains($0) || naming.contains($0)) }
    }

    /// The most the item's deductions can take on one sheet: every deduct rule at its most, but of rules that
    /// exclude each other only those that can stand together. An item whose base this does not reach can never
    /// be used up, whatever happened (细则 2.4 with both its cases at 1 point).
    public var mostDeducted: Decimal {
        let deducts = rules.filter { $0.type == .deduct }
        // An item holds a handful of rules: every combination is tried.
        guard deducts.count <= 16 else { return deducts.reduce(0) { $0 + $1.most } }
        var best: Decimal = 0
        for mask in 0..<(1 << deducts.count) {
            let chosen = deducts.indices.filter { mask & (1 << $0) != 0 }.map { deducts[$0] }
            let clash = chosen.contains { rule in chosen.contains { excluded(by: rule.id).contains($0.id) } }
            if !clash { best = max(best, chosen.reduce(0) { $0 + $1.most }) }
        }
        return best
    }
}
