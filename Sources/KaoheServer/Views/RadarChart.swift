import Foundation

/// A radar (spider) chart of one unit's categories as plain SVG numbers, drawn by the template without script:
/// each axis is a category, the polygon its score as a share of the category's points.
struct RadarChart: Encodable {
    struct Axis: Encodable {
        let label: String
        let x: String
        let y: String
        let labelX: String
        let labelY: String
    }

    let size: Int
    let centre: String
    let axes: [Axis]
    /// `x,y x,y …` for `<polygon points=…>`: the unit's shares, then the 60 % and 100 % rings.
    let shape: String
    let rings: [String]

    /// - Parameter shares: each category's score ÷ its maximum, 0…1, in the rubric's order.
    init(labels: [String], shares: [Decimal], size: Int = 220) {
        let centre = Double(size) / 2, radius = Double(size) / 2 - 34
        func point(_ index: Int, _ fraction: Double) -> (Double, Double) {
            let angle = -Double.pi / 2 + 2 * Double.pi * Double(index) / Double(max(labels.count, 1))
            return (centre + radius * fraction * cos(angle), centre + radius * fraction * sin(angle))
        }
        func polygon(_ fractions: [Double]) -> String {
            fractions.enumerated().map { index, fraction in
                let (x, y) = point(index, fraction)
                return "\(Self.format(x)),\(Self.format(y))"
            }.joined(separator: " ")
        }
        self.size = size
        self.centre = Self.format(centre)
        axes = labels.enumerated().map { index, label in
            let (x, y) = point(index, 1)
            let (lx, ly) = point(index, 1.22)
            return Axis(label: label, x: Self.format(x), y: Self.format(y), labelX: Self.format(lx), labelY: Self.format(ly))
        }
        let fractions = shares.map { min(max(NSDecimalNumber(decimal: $0).doubleValue, 0), 1) }
        shape = polygon(fractions)
        rings = [0.6, 1].map { ring in polygon(Array(repeating: ring, count: labels.count)) }
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
