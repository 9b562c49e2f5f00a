import Foundation
import KaoheCore

/// Turns the edit form of a rubric page into KaoheCore edits: only numbers that changed, each checked to be
/// a number, named by the field so the page can say which one is wrong.
enum RubricEdits {
    static func parse(_ fields: [String: String], against rubric: Rubric) throws -> [RubricEditor.Edit] {
        var current: [String: (RubricEditor.Target, Decimal)] = [:]
        for item in rubric.items {
            current["base.\(item.id)"] = (.itemBase(item: item.id), item.base)
            for rule in item.rules {
                switch rule.points {
                case .fixed(let value):
                    current["points.\(rule.id)"] = (.rulePoints(rule: rule.id), value)
                case .range(let min, let max):
                    current["min.\(rule.id)"] = (.ruleRange(rule: rule.id, upper: false), min)
                    current["max.\(rule.id)"] = (.ruleRange(rule: rule.id, upper: true), max)
                }
            }
        }
        for grade in rubric.grades { current["grade.\(grade.key)"] = (.gradeMin(grade: grade.key), grade.min) }
        if let p = rubric.penalty {
            current["penalty.multiplier"] = (.penalty(field: "multiplier"), p.multiplier)
            current["penalty.reference"] = (.penalty(field: "reference"), p.reference)
            current["penalty.rate"] = (.penalty(field: "rate"), p.rate)
            current["penalty.generalSecretaryShare"] = (
                .penalty(field: "generalSecretaryShare"), p.generalSecretaryShare
            )
            current["penalty.deputySecretaryShare"] = (.penalty(field: "deputySecretaryShare"), p.deputySecretaryShare)
        }
        let w = rubric.annual.weights
        current["annual.quarterly"] = (.annualWeight(field: "quarterly"), w.quarterly)
        current["annual.self"] = (.annualWeight(field: "self"), w.selfRating)
        current["annual.peer"] = (.annualWeight(field: "peer"), w.peer)
        current["annual.panel"] = (.annualWeight(field: "panel"), w.panel)

        for (index, requirement) in rubric.requirements.enumerated() {
            for (span, field) in requirementFields {
                if let count = requirement.needed(per: span) {
                    current["requirement.\(index).\(field)"] = (
                        .requirement(index: index, field: field), Decimal(count)
                    )
                }
            }
        }

        var edits: [RubricEditor.Edit] = []
        var problems: [String] = []
        for (field, text) in fields.sorted(by: { $0.key < $1.key }) {
            guard let (target, value) = current[field] else { continue }
            let trimmed = InputText.halfWidth(text).trimmingCharacters(in: .whitespaces)
            guard let number = Decimal(string: trimmed),
                trimmed.range(of: #"^-?\d+(\.\d+)?$"#, options: .regularExpression) != nil
            else {
                problems.append("\(field)：“\(text)”应为数字")
                continue
            }
            if number != value { edits.append(.init(target, trimmed)) }
        }
        if !problems.isEmpty { throw RubricStore.Rejected(problems: problems) }
        return edits
    }

    /// The YAML key of each span's count in a requirement.
    static let requirementFields: [(LedgerSpan, String)] = [
        (.year, "perYear"), (.half, "perHalfYear"), (.quarter, "perQuarter"), (.month, "perMonth"), (.week, "perWeek"),
    ]

    static func apply(_ edits: [RubricEditor.Edit], to yaml: String, newLabel: String) throws -> String {
        do {
            return try RubricEditor.apply(edits + [.init(.version, newLabel)], to: yaml)
        } catch {
            throw RubricStore.Rejected(problems: [error.description])
        }
    }
}
