import Foundation

extension SheetPage {
    /// What the evidence box accepts: `.pdf,.ofd,…` for the picker, `pdf、ofd…` and the size for people.
    struct EvidenceInput {
        let accept: String
        let types: String
        let maxMegabytes: Int
    }

    /// An item's add-entry form (添加记录), written in Swift as the item's body is (`itemMarkup`): a draft sheet offers
    /// it on each of its 31 items, and through Leaf its options and fields were most of the page's time (issue 29).
    static func entryFormMarkup(_ form: EntryFormView, _ context: ItemMarkupContext, evidence: EvidenceInput) -> String
    {
        var html = Markup()
        html.start(
            "form",
            [
                "method": "post",
                "action": "/periods/\(context.period)/sheets/\(context.unit)/entries?_csrf=\(context.csrf)",
                "enctype": "multipart/form-data", "class": "entry-form no-print",
            ])
        html.element("input", ["type": "hidden", "name": "_csrf", "value": context.csrf])
        html.element("p", ["class": "entry-form-title"], content: "添加记录")
        html.start("div", ["class": "entry-fields"])
        html.start("label", ["class": "entry-rule"])
        html.write("标准")
        select("rule", form.rules, into: &html)
        html.close("label")
        if form.counts { number("次数", "count", form.count, inputmode: "numeric", into: &html) }
        if let ranges = form.ranges {
            number("分值（\(ranges)）", "points", form.points, inputmode: "decimal", into: &html)
        }
        html.start("label", ["class": "entry-note"])
        html.write("说明（必填：扣分或加分的理由）")
        html.start(
            "input",
            ["type": "text", "name": "note", "maxlength": "\(TextLimits.maximum(for: "note"))", "value": form.note],
            flags: ["required"])
        html.close("label")
        html.element("button", ["type": "submit", "class": "primary"], content: "添加")
        html.close("div")
        errors(["rule", "count", "points", "note"], of: form, into: &html)
        if form.bonus {
            html.start("label", ["class": "entry-case"])
            html.write("具体事例（加分必填）")
            html.element(
                "textarea", ["name": "case", "maxlength": "\(TextLimits.maximum(for: "case"))", "rows": "1"],
                content: form.caseText)
            html.close("label")
            errors(["case"], of: form, into: &html)
        }
        if form.deductions && form.selfStage { mitigation(form, into: &html) }
        html.start("details", ["class": "attach"], flags: form.attaching ? ["open"] : [])
        html.element("summary", [:], content: "附考核依据文件")
        html.start("div", ["class": "checks"])
        html.start("label", [:])
        html.write("来源（办法 五）")
        select("source", form.sources, into: &html)
        html.close("label")
        html.start("label", ["title": "可上传：\(evidence.types)"])
        html.write("文件（不超过 \(evidence.maxMegabytes) MB）")
        html.element("input", ["type": "file", "name": "file", "accept": evidence.accept])
        html.close("label")
        html.close("div")
        html.close("details")
        if let file = form.errors["file"] {
            html.element("p", ["class": "field-error", "role": "alert"], content: "\(file)（请重新选择文件）")
        }
        errors(["source"], of: form, into: &html)
        html.close("form")
        return html.text
    }

    /// 自查发现并已纠正 (办法 三(二)): only the unit's own form in self-assessment offers it.
    private static func mitigation(_ form: EntryFormView, into html: inout Markup) {
        html.start("details", ["class": "mitigation"], flags: form.mitigating ? ["open"] : [])
        html.element("summary", [:], content: "自查发现并已纠正的，可从轻或不予扣分")
        html.start("div", ["class": "checks"])
        for (name, label, ticked) in [("selfFound", "自查发现", form.selfFound), ("corrected", "已纠正", form.corrected)] {
            html.start("label", [:])
            html.start("input", ["type": "checkbox", "name": name, "value": "on"], flags: ticked ? ["checked"] : [])
            html.write(" " + label)
            html.close("label")
        }
        html.start("label", [:])
        html.write("扣分方式")
        select("mitigation", form.mitigations, into: &html)
        html.close("label")
        html.start("label", [:])
        html.write("较大问题已向总支书记汇报的日期")
        html.element("input", ["type": "date", "name": "reportedOn", "value": form.reportedOn])
        html.close("label")
        html.close("div")
        html.element("p", ["class": "hint"], content: "从轻或不予扣分由考核小组认可后生效（办法 三(二)）。")
        html.close("details")
        errors(["mitigation", "reportedOn", "selfFound"], of: form, into: &html)
    }

    /// A short number field in its label: 次数, or 分值 with the rule's ranges.
    private static func number(
        _ label: String, _ name: String, _ value: String, inputmode: String, into html: inout Markup
    ) {
        html.start("label", [:])
        html.write(label)
        html.element("input", ["type": "text", "inputmode": inputmode, "name": name, "value": value, "class": "short"])
        html.close("label")
    }

    private static func select(_ name: String, _ options: [SelectOption], into html: inout Markup) {
        html.start("select", ["name": name])
        html.options(options)
        html.close("select")
    }

    /// Each field's message beside the form, in the order the fields come.
    private static func errors(_ fields: [String], of form: EntryFormView, into html: inout Markup) {
        for field in fields {
            guard let error = form.errors[field] else { continue }
            html.element("p", ["class": "field-error", "role": "alert"], content: error)
        }
    }
}
