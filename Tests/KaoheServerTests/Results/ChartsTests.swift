import Foundation
import LeafKit
import Testing

@testable import KaoheServer

/// The board's charts, written as SVG in Swift: the numbers as the template wrote them, every name escaped.
@Suite struct ChartsTests {
    @Test func coordinatesHaveOneDecimalAsPrintfWroteThem() {
        for value in [0, 0.04, 0.05, 1.26, 76, 110.96, 199.99, -3.26, -0.04, 1e9] {
            #expect(Markup.number(value) == String(format: "%.1f", value).replacingOccurrences(of: "-0.0", with: "0.0"))
        }
        #expect(Markup.number(84.5, digits: 0) == "85")
        #expect(Markup.number(.nan) == "0")
    }

    @Test func markupEscapesAsLeafDoesAndCopiesWhatNeedsNone() {
        for value in ["", "84.5", "第一党支部", #"a"b'c<d>e&f"#, "党<支>部&amp;", "'", "\u{1F600}&"] {
            #expect(Markup.escaped(value) == value.htmlEscaped(), "\(value)")
        }
    }

    @Test func aUnitsNameIsEscapedInTheRadarAndTheTrend() {
        let name = #"第"一"<支部>&"#
        let radar = RadarChart.svg(name: name, grade: "good", labels: ["组织<建设>", "学习"], shares: [0.5, 2])
        #expect(radar.contains(#"aria-label="第&quot;一&quot;&lt;支部&gt;&amp; 各类别得分率""#))
        #expect(radar.contains(">组织&lt;建设&gt;</text>"))
        #expect(!radar.contains("<支部>"))
        #expect(
            radar.contains(#"<polygon class="shape good" points="110.0,72.0 110.0,186.0"/>"#),
            "half, and a share above 1 drawn at 1")
        let trend = TrendChart(year: 2026, totals: [(name, [80, nil, 90, nil])], maxScore: 100, floor: 60)
        #expect(trend.svg.components(separatedBy: "<circle").count - 1 == 2)
        #expect(trend.legend.contains("第&quot;一&quot;&lt;支部&gt;&amp;"))
        #expect(!trend.svg.contains("<支部>") && !trend.legend.contains("<支部>"))
    }
}
