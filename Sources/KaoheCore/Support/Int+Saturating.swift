extension Sequence where Element == Int {
    /// The sum, held at the bounds instead of trapping: counts come from people, and one absurd stored count
    /// must not crash every read of its sheet.
    public func saturatingSum() -> Int {
        reduce(0) { total, next in
            let (sum, overflow) = total.addingReportingOverflow(next)
            return overflow ? (next > 0 ? .max : .min) : sum
        }
    }
}
