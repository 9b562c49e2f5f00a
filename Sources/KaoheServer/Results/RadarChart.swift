import Foundation
import NIOConcurrencyHelpers

/// A radar (spider) chart of one unit's categories as an SVG element, drawn without script: each axis is a
/// category, the polygon its score as a share of the category's points, inside the 60 % and 100 % rings.
enum RadarChart {
    /// - Parameters:
    ///   - shares: each category's score ÷ its maximum, 0…1, in the rubric's order.
    ///   - grade: the grade's key, the polygon's class (its colour).
    static func svg(name: String, grade: String, labels: [String], shares: [Double], size: Int = 220) -> String {
        let centre = Double(size) / 2, radius = Double(size) / 2 - 34
        func point(_ index: Int, _ fraction: Double) -> (x: String, y: String) {
            let angle = -Double.pi / 2 + 2 * Double.pi * Double(index) / Double(max(labels.count, 1))
            return (
                Markup.number(centre + radius * fraction * cos(angle)),
                Markup.number(centre + radius * fraction * sin(angle))
            )
        }
        func polygon(_ fractions: [Double]) -> String {
            fractions.enumerated().map { index, fraction in
                let (x, y) = point(index, fraction)
                return x + "," + y
            }.joined(separator: " ")
        }
        let side = String(size)
        var svg = Markup()
        svg.start(
            "svg",
            [
                "viewBox": "0 0 \(side) \(side)", "width": side, "height": side, "role": "img",
                "aria-label": "\(name) 各类别得分率",
            ])
        svg.insert(frame(labels: labels, size: size, polygon: polygon, point: point))
        svg.element("polygon", ["class": "shape \(grade)", "points": polygon(shares.map { min(max($0, 0), 1) })])
        svg.close("svg")
        return svg.text
    }

    /// The rings, axes and labels, the same for every radar of a rubric: written once per labels and size, not for
    /// each of the fifty branches a board shows (they were most of its radars' cost).
    private static func frame(
        labels: [String], size: Int, polygon: ([Double]) -> String,
        point: (Int, Double) -> (x: String, y: String)
    ) -> String {
        let key = "\(size)\u{1F}" + labels.joined(separator: "\u{1F}")
        if let known = frames.withLockedValue({ $0[key] }) { return known }
        let middle = Markup.number(Double(size) / 2)
        var frame = Markup()
        for ring in [0.6, 1] {
            frame.element("polygon", ["class": "ring", "points": polygon(Array(repeating: ring, count: labels.count))])
        }
        for (index, label) in labels.enumerated() {
            let end = point(index, 1), place = point(index, 1.22)
            frame.element("line", ["class": "axis", "x1": middle, "y1": middle, "x2": end.x, "y2": end.y])
            frame.element(
                "text", ["x": place.x, "y": place.y, "text-anchor": "middle", "dominant-baseline": "middle"],
                content: label)
        }
        frames.withLockedValue { held in
            if held.count >= 64 { held.removeAll() }
            held[key] = frame.text
        }
        return frame.text
    }

    private static let frames = NIOLockedValueBox<[String: String]>([:])
}
