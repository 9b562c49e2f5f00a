import Foundation

extension SheetPage {
    /// What the sheet shows the same way to everyone for one item: its text and scores, its rules and its entries
    /// with their own small forms (a mitigation decided, an entry taken off). Written in Swift, as the dashboard's
    /// rows are: through Leaf, each of the 31 items' dozens of values was looked up and escaped one by one, and the
    /// sheet page spent most of its time there (issue 12). The opinion and the add-entry form stay in the template.
    struct ItemMarkupContext {
        let compare: Bool
        let panelColumn: String
        let writes: Bool
        let period: String
        let unit: String
        let csrf: String
    }

    static func itemMarkup(
        id: String, text: String, base: String, score: String, selfScore: String?, changed: Bool,
        rules: String, entries: [EntryLine], _ context: ItemMarkupContext
    ) -> String {
        var html = Markup()
        html.start("div", ["class": "item-head"])
        html.start("p", ["class": "item-text"])
        html.element("span", ["class": "item-id"], content: id)
        html.write(" " + text)
        html.close("p")
        html.start("table", ["class": "item-scores"])
        html.start("tr", [:])
        html.element("th", [:], content: "基本分")
        if context.compare {
            html.element("th", [:], content: "自查分")
            html.element("th", [:], content: context.panelColumn)
        } else {
            html.element("th", [:], content: "得分")
        }
        html.close("tr")
        html.start("tr", [:])
        html.element("td", ["class": "num"], content: base)
        if context.compare { html.element("td", ["class": "num"], content: selfScore ?? "") }
        html.element("td", ["class": changed ? "num score differs" : "num score"], content: score)
        html.close("tr")
        html.close("table")
        html.close("div")
        html.start("ul", ["class": "rules"])
        html.insert(rules)
        html.close("ul")
        guard !entries.isEmpty else { return html.text }
        // Stacked on a phone: a line per field with its column's name, so that 删除/撤销 stay within reach.
        html.start("table", ["class": "table entries stacked"])
        html.start("thead", [:])
        html.start("tr", [:])
        for heading in ["标准", "情况"] { html.element("th", [:], content: heading) }
        html.element("th", ["class": "num"], content: "次数/分值")
        html.element("th", ["class": "num"], content: "计分")
        html.element("th", [:], content: "录入")
        if context.writes { html.element("th", ["class": "no-print"], content: "操作") }
        html.close("tr")
        html.close("thead")
        html.start("tbody", [:])
        for entry in entries { entryRow(entry, context, into: &html) }
        html.close("tbody")
        html.close("table")
        return html.text
    }

    private static func entryRow(_ entry: EntryLine, _ context: ItemMarkupContext, into html: inout Markup) {
        let classes = [entry.withdrawn ? "withdrawn" : nil, entry.bonus ? "bonus" : nil].compactMap { $0 }
        html.start("tr", ["class": classes.joined(separator: " ")])
        html.start("td", [:])
        html.element("code", [:], content: entry.rule)
        html.close("td")

        html.start("td", [:])
        if entry.withdrawn { html.start("s", [:]) }
        let caseText = entry.caseText.nonEmpty, note = entry.note.nonEmpty
        html.write([caseText, note].compactMap { $0 }.joined(separator: "；"))
        if let flags = entry.flags.nonEmpty { html.element("span", ["class": "hint"], content: "（\(flags)）") }
        if entry.withdrawn { html.close("s") }
        for file in entry.evidence {
            html.element("br", [:])
            html.element("a", ["href": file.href], content: file.name)
        }
        if let source = entry.source.nonEmpty { hint("考核依据来源：\(source)", into: &html) }
        if let reportedOn = entry.reportedOn.nonEmpty { hint("\(reportedOn) 已向总支书记汇报", into: &html) }
        if let decision = entry.mitigationDecision.nonEmpty { hint(decision, into: &html) }
        if let veto = entry.veto.nonEmpty {
            html.element("br", [:])
            html.element("span", ["class": "tag due"], content: veto)
            if let offer = entry.vetoOffer.nonEmpty {
                html.write(" ")
                html.element("a", ["class": "no-print", "href": offer], content: "记录一票否决")
            }
        }
        if entry.decidesMitigation { mitigationForm(entry, context, into: &html) }
        if entry.withdrawn {
            html.element("br", [:])
            let reason = entry.withdrawnReason.nonEmpty.map { "：" + $0 } ?? ""
            html.element("span", ["class": "withdrawn-reason"], content: "已撤销" + reason)
        }
        html.close("td")

        html.element("td", ["class": "num", "data-label": "次数/分值"], content: entry.amount ?? "")
        html.start("td", ["class": "num", "data-label": "计分"])
        if entry.withdrawn { html.element("s", [:], content: entry.effect) } else { html.write(entry.effect) }
        html.close("td")
        html.start("td", ["data-label": "录入"])
        html.write(entry.author)
        html.element("span", ["class": "hint"], content: "（\(entry.stage)）")
        html.close("td")
        if context.writes {
            html.start("td", ["class": "no-print"])
            if entry.removable {
                html.start(
                    "form",
                    [
                        "method": "post",
                        "action": "/periods/\(context.period)/sheets/\(context.unit)/entries/\(entry.id)/delete",
                        "class": "remove-entry",
                    ])
                html.element("input", ["type": "hidden", "name": "_csrf", "value": context.csrf])
                if entry.withdraws {
                    html.element(
                        "input", ["type": "text", "name": "reason", "placeholder": "撤销理由", "aria-label": "撤销理由"])
                    html.element("button", ["type": "submit", "class": "link"], content: "撤销")
                } else {
                    html.element("button", ["type": "submit", "class": "link"], content: "删除")
                }
                html.close("form")
            }
            html.close("td")
        }
        html.close("tr")
    }

    private static func hint(_ text: String, into html: inout Markup) {
        html.element("br", [:])
        html.element("span", ["class": "hint"], content: text)
    }

    private static func mitigationForm(_ entry: EntryLine, _ context: ItemMarkupContext, into html: inout Markup) {
        html.start("details", ["class": "mitigation-decision no-print"])
        html.element("summary", [:], content: "认可或不认可从轻、不予扣分")
        html.start(
            "form",
            [
                "method": "post",
                "action": "/periods/\(context.period)/sheets/\(context.unit)/entries/\(entry.id)/mitigation",
            ])
        html.element("input", ["type": "hidden", "name": "_csrf", "value": context.csrf])
        html.element("label", ["for": "mitigation-reason-\(entry.id)"], content: "理由（必填）")
        html.element(
            "input", ["type": "text", "id": "mitigation-reason-\(entry.id)", "name": "reason", "required": "required"])
        html.element(
            "button", ["type": "submit", "name": "decision", "value": "confirmed", "class": "secondary"], content: "认可")
        html.element(
            "button", ["type": "submit", "name": "decision", "value": "refused", "class": "secondary"],
            content: "不予认可，照扣")
        html.close("form")
        html.close("details")
    }
}

private extension Optional where Wrapped == String {
    /// The text, unless absent or empty: what the template's `#if(…)` shows.
    var nonEmpty: String? {
        guard let text = self, !text.isEmpty else { return nil }
        return text
    }
}
