import Foundation
import Yams

/// The 细则's texts quote the rubric's own numbers — 党员大会全年不少于4次, 10日前, 90% — so a text names the number
/// (`{requirements.memberMeeting.perYear}`, `{schedule.selfReportDay}`, `{thresholds.satisfaction}`) and the
/// loader writes it in: editing the number can never leave the text saying another one.
enum RubricText {
    /// Replaces every `{…}` in item and rule texts; a name the rubric does not define is a problem.
    static func render(_ rubric: inout Rubric, log: ProblemLog) {
        let values = numbers(of: rubric)
        for c in rubric.categories.indices {
            for i in rubric.categories[c].items.indices {
                let item = rubric.categories[c].items[i]
                rubric.categories[c].items[i].text = filled(item.text, values, subject: "item \(item.id)", log: log)
                for r in item.rules.indices {
                    let rule = item.rules[r]
                    rubric.categories[c].items[i].rules[r].text = filled(
                        rule.text, values, subject: "rule \(rule.id)", log: log)
                }
            }
        }
    }

    /// Every number a text may name.
    static func numbers(of rubric: Rubric) -> [String: String] {
        var values: [String: String] = [
            "schedule.selfReportDay": "\(rubric.schedule.selfReportDay)",
            "schedule.panelReviewDay": "\(rubric.schedule.panelReviewDay)",
            "schedule.objectionDays": "\(rubric.schedule.objectionDays)",
            "schedule.duesDay": "\(rubric.schedule.duesDay)",
        ]
        for requirement in rubric.requirements {
            let name = "requirements.\(requirement.activity.rawValue)"
            let keys: [LedgerSpan: String] = [
                .year: "perYear", .half: "perHalfYear", .quarter: "perQuarter",
                .month: "perMonth", .week: "perWeek",
            ]
            for span in requirement.spans {
                if let n = requirement.needed(per: span), let key = keys[span] { values["\(name).\(key)"] = "\(n)" }
            }
            if let day = requirement.weekday { values["\(name).weekday"] = CalendarDay.weekdayNames[day - 1] }
        }
        for (name, value) in rubric.thresholds { values["thresholds.\(name)"] = "\(value)" }
        return values
    }

    private static func filled(_ text: String, _ values: [String: String], subject: String, log: ProblemLog) -> String {
        guard text.contains("{") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                log.report(subject, at: nil as Mark?, "text has a '{' without its '}'")
                return text
            }
            let name = String(rest[rest.index(after: open)..<close])
            if let value = values[name] {
                result += value
            } else {
                log.report(subject, at: nil as Mark?, "text names {\(name)}, which the rubric does not define")
            }
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }
}
