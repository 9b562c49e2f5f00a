import Foundation

/// Each branch's totals across a year's four quarters as an SVG element, one polyline per branch, drawn without
/// script (the results board's line beside the radars), and its legend.
struct TrendChart: Encodable {
    /// The `<svg>` element.
    let svg: String
    /// The legend's entries: a swatch of each branch's colour and its name.
    let legend: String

    static let palette = ["#b3261e", "#1e6fb3", "#2e7d32", "#b36b00", "#6a3fb3", "#00796b", "#8d6e63", "#c2185b"]

    /// - Parameters:
    ///   - totals: per branch (in board order), the total of each quarter 1…4, nil where not published.
    ///   - floor: the lowest total the axis shows (the lowest grade's bound, or lower when a total is lower).
    init(
        year: Int, totals: [(name: String, quarters: [Decimal?])], maxScore: Decimal, floor: Decimal, width: Int = 520,
        height: Int = 240
    ) {
        let left = 40.0, right = Double(width) - 16, top = 12.0, bottom = Double(height) - 28
        let low = NSDecimalNumber(decimal: min(floor, totals.flatMap { $0.quarters.compactMap { $0 } }.min() ?? floor))
            .doubleValue
        let high = NSDecimalNumber(decimal: maxScore).doubleValue
        func x(_ quarter: Int) -> String { Markup.number(left + (right - left) * Double(quarter) / 3) }
        func y(_ value: Double) -> String {
            Markup.number(bottom - (bottom - top) * (value - low) / max(high - low, 1))
        }
        var svg = Markup()
        svg.start(
            "svg",
            [
                "viewBox": "0 0 \(width) \(height)", "width": String(width), "height": String(height), "role": "img",
                "aria-label": "各党支部 \(year) 年各季度考核总分",
            ])
        let step = max(((high - low) / 4).rounded(), 1)
        for tick in stride(from: low, through: high, by: step) {
            svg.element(
                "line",
                ["class": "grid", "x1": Markup.number(left), "x2": Markup.number(right), "y1": y(tick), "y2": y(tick)])
            svg.element(
                "text",
                ["class": "tick", "x": "34", "y": y(tick), "text-anchor": "end", "dominant-baseline": "middle"],
                content: Markup.number(tick, digits: 0))
        }
        for (quarter, label) in ["一季度", "二季度", "三季度", "四季度"].enumerated() {
            svg.element(
                "text", ["class": "tick", "x": x(quarter), "y": Markup.number(bottom + 18), "text-anchor": "middle"],
                content: label)
        }
        var legend = Markup()
        for (index, line) in totals.enumerated() {
            let colour = Self.palette[index % Self.palette.count]
            let dots = line.quarters.enumerated().compactMap { quarter, total in
                total.map { (x: x(quarter), y: y(NSDecimalNumber(decimal: $0).doubleValue), label: "\($0)") }
            }
            svg.element(
                "polyline",
                ["class": "series", "points": dots.map { $0.x + "," + $0.y }.joined(separator: " "), "stroke": colour])
            for dot in dots {
                svg.start("circle", ["cx": dot.x, "cy": dot.y, "r": "3", "fill": colour])
                svg.element("title", [:], content: "\(line.name) \(dot.label)")
                svg.close("circle")
            }
            legend.start("span", [:])
            legend.start("svg", ["class": "swatch", "width": "12", "height": "12", "aria-hidden": "true"])
            legend.element("rect", ["width": "12", "height": "12", "rx": "2", "fill": colour])
            legend.close("svg")
            legend.write(line.name)
            legend.close("span")
        }
        svg.close("svg")
        self.svg = svg.text
        self.legend = legend.text
    }
}
