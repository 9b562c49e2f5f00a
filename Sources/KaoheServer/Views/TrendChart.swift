import Foundation

/// Each branch's totals across a year's four quarters as plain SVG numbers, one polyline per branch, drawn by the
/// template without script (the results board's line beside the radars).
struct TrendChart: Encodable {
    struct Series: Encodable {
        let name: String
        /// `x,y x,y …` for `<polyline points=…>`, the quarters published so far.
        let points: String
        let dots: [Dot]
        let colour: String
    }

    struct Dot: Encodable {
        let x: String
        let y: String
        let label: String
    }

    struct Tick: Encodable {
        let y: String
        let label: String
    }

    let width: Int
    let height: Int
    let left: String
    let right: String
    let quarters: [Dot]
    let ticks: [Tick]
    let series: [Series]

    static let palette = ["#b3261e", "#1e6fb3", "#2e7d32", "#b36b00", "#6a3fb3", "#00796b", "#8d6e63", "#c2185b"]

    /// - Parameters:
    ///   - totals: per branch (in board order), the total of each quarter 1…4, nil where not published.
    ///   - floor: the lowest total the axis shows (the lowest grade's bound, or lower when a total is lower).
    init(totals: [(name: String, quarters: [Decimal?])], maxScore: Decimal, floor: Decimal, width: Int = 520, height: Int = 240) {
        let left = 40.0, right = Double(width) - 16, top = 12.0, bottom = Double(height) - 28
        let low = NSDecimalNumber(decimal: min(floor, totals.flatMap { $0.quarters.compactMap { $0 } }.min() ?? floor)).doubleValue
        let high = NSDecimalNumber(decimal: maxScore).doubleValue
        func x(_ quarter: Int) -> Double { left + (right - left) * Double(quarter) / 3 }
        func y(_ value: Double) -> Double { bottom - (bottom - top) * (value - low) / max(high - low, 1) }
        self.width = width
        self.height = height
        self.left = Self.format(left)
        self.right = Self.format(right)
        quarters = (0..<4).map { Dot(x: Self.format(x($0)), y: Self.format(bottom + 18), label: ["一季度", "二季度", "三季度", "四季度"][$0]) }
        let step = max(((high - low) / 4).rounded(), 1)
        ticks = stride(from: low, through: high, by: step).map { Tick(y: Self.format(y($0)), label: Self.format($0, digits: 0)) }
        series = totals.enumerated().map { index, line in
            let dots = line.quarters.enumerated().compactMap { quarter, total -> Dot? in
                total.map { Dot(x: Self.format(x(quarter)), y: Self.format(y(NSDecimalNumber(decimal: $0).doubleValue)), label: "\($0)") }
            }
            return Series(name: line.name, points: dots.map { "\($0.x),\($0.y)" }.joined(separator: " "), dots: dots,
                          colour: Self.palette[index % Self.palette.count])
        }
    }

    private static func format(_ value: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
}
