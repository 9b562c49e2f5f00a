import Foundation
import KaoheCore
import Vapor

/// The add-entry form of a sheet as a browser posts it: every field text, a checkbox present when ticked.
/// It becomes KaoheCore's `Entry`; what is wrong with it is told beside each field in plain Chinese.
struct EntryForm: Content {
    var rule: String?
    var count: String?
    var points: String?
    var `case`: String?
    var note: String?
    var selfFound: String?
    var corrected: String?
    var mitigation: String?
    /// 三(二): the day a larger problem was reported to the 总支书记.
    var reportedOn: String?

    /// A problem with one field, named as the form names it (`rule`, `count`, `points`, `case`, `mitigation`).
    typealias FieldErrors = [String: String]

    var ticksSelfFound: Bool { Self.ticked(selfFound) }
    var ticksCorrected: Bool { Self.ticked(corrected) }

    /// The entry the form asks for, or the fields that cannot even be read (a count that is not a whole number,
    /// points that are not a number). Whether the entry fits its rule is KaoheCore's question, asked by `Sheets.add`.
    func entry() throws(Unreadable) -> Entry {
        var errors: FieldErrors = [:]
        let count = Self.text(count).map(InputText.halfWidth)
        let points = Self.text(points).map(InputText.halfWidth)
        var countValue: Int?
        var pointsValue: Decimal?
        if let count {
            if let value = Int(count) { countValue = value } else { errors["count"] = "次数应为整数，如 2" }
        }
        if let points {
            if points.wholeMatch(of: /[0-9]+(\.[0-9]+)?/) != nil,
                let value = Decimal(string: points, locale: Locale(identifier: "en_US_POSIX"))
            {
                pointsValue = value
            } else {
                errors["points"] = "分值应为数字，如 3 或 3.5"
            }
        }
        let mitigation = Mitigation(rawValue: Self.text(self.mitigation) ?? "none")
        if mitigation == nil { errors["mitigation"] = "请选择照扣、从轻扣分或不予扣分" }
        guard errors.isEmpty, let mitigation else { throw Unreadable(errors: errors) }
        return Entry(
            rule: Self.text(rule) ?? "", count: countValue, points: pointsValue, caseText: Self.text(self.case),
            note: Self.text(note), selfFound: ticksSelfFound, corrected: ticksCorrected, mitigation: mitigation)
    }

    /// Fields that cannot be read at all.
    struct Unreadable: Error {
        let errors: FieldErrors
    }

    /// Why KaoheCore refuses the entry, field by field, in the words of the 细则: the same checks `Sheets.add` makes,
    /// asked again only to say them beside the right field.
    static func problems(of entry: Entry, rubric: Rubric) -> FieldErrors {
        let found = Scorer(rubric: rubric).problems(in: UnitSheet(unit: "", entries: [entry]))
        guard let rule = rubric.rule(id: entry.rule) else {
            return found.isEmpty ? [:] : ["rule": "请选择细则中的扣分或加分标准"]
        }
        var errors: FieldErrors = [:]
        for problem in found {
            switch problem.field {
            case "count":
                errors["count"] = rule.unit == .once ? "该标准只计一次，不填次数" : "请填写次数（不小于 1 的整数）"
            case "points":
                switch rule.points {
                case .range(let min, let max):
                    errors["points"] = entry.points == nil ? "请在 \(min)–\(max) 分之间选定分值" : "分值须在 \(min)–\(max) 分之间"
                case .fixed(let fixed):
                    errors["points"] = "该标准分值固定为 \(fixed) 分，不填分值"
                }
            case "case":
                errors["case"] = "加分须写明具体事例"
            case "mitigation":
                errors["mitigation"] = rule.type == .bonus ? "加分不适用从轻或不予扣分" : "从轻或不予扣分须同时勾选“自查发现”和“已纠正”"
            default:
                errors["rule", default: ""] += problem.message
            }
        }
        return errors
    }

    static func text(_ value: String?) -> String? {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return trimmed.isEmpty ? nil : trimmed
    }

    static func ticked(_ value: String?) -> Bool {
        guard let value = text(value)?.lowercased() else { return false }
        return ["on", "true", "1", "yes"].contains(value)
    }
}
