import Foundation
import KaoheCore
import NIOConcurrencyHelpers

extension SheetPage {
    /// Each item's rules as the sheet lists them (`<li class="rule"><code>1.1.a</code> 未按时…：扣 1 分/次</li>`), written
    /// once per rubric version: a version never changes, and its hundred rules through Leaf's loop were the largest
    /// part of every sheet page (issue 12).
    static func rulesMarkup(of rubric: Rubric, version: UUID) -> [String: String] {
        if let known = rulesByVersion.withLockedValue({ $0[version] }) { return known }
        var byItem: [String: String] = [:]
        for item in rubric.categories.flatMap(\.items) {
            var markup = Markup()
            for rule in item.rules {
                markup.start("li", ["class": rule.type == .bonus ? "rule bonus" : "rule"])
                markup.element("code", [:], content: rule.id)
                markup.write(" \(rule.text)：\(pointsText(rule))")
                markup.close("li")
            }
            byItem[item.id] = markup.text
        }
        rulesByVersion.withLockedValue { $0[version] = byItem }
        return byItem
    }

    /// By rubric version id; a bureau keeps a handful of versions.
    private static let rulesByVersion = NIOLockedValueBox<[UUID: [String: String]]>([:])
}
