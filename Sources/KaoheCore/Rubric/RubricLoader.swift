import Foundation
import Yams

/// Reads a rubric file strictly: unknown keys, missing keys, wrong types, duplicate ids and inconsistent
/// numbers are all refused, and every problem is reported at once with its file, line and column.
public enum RubricLoader {
    /// Loads a rubric from its YAML text. `file` names the file in problem messages.
    public static func load(yaml: String, file: String) throws(RubricProblems) -> Rubric {
        let log = ProblemLog(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            report(error, to: log)
            throw RubricProblems(log.problems)
        }
        guard let root else {
            log.report("", at: nil as Mark?, "the file holds no rubric")
            throw RubricProblems(log.problems)
        }
        let rubric = RubricReading(log: log).rubric(from: root)
        guard let rubric, log.problems.isEmpty else { throw RubricProblems(log.problemsInFileOrder) }
        return rubric
    }

    /// Problems `load` would report, or an empty list when the rubric is valid.
    public static func problems(yaml: String, file: String) -> [RubricProblem] {
        do {
            _ = try load(yaml: yaml, file: file)
            return []
        } catch {
            return error.problems
        }
    }

    private static func report(_ error: any Error, to log: ProblemLog) {
        switch error {
        case YamlError.scanner(_, let problem, let mark, _),
            YamlError.parser(_, let problem, let mark, _),
            YamlError.composer(_, let problem, let mark, _):
            log.report("", at: mark, "not valid YAML: \(problem)")
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            log.report("", at: context.mark, "duplicate key \(keys)")
        default:
            log.report("", at: nil as Mark?, "not valid YAML: \(error)")
        }
    }
}

/// The walk over one rubric file's nodes. Missing or wrong values are replaced by neutral ones so that the
/// walk goes on and finds every other problem; the result is only used when no problem was reported.
struct RubricReading {
    let log: ProblemLog

    func rubric(from root: Node) -> Rubric? {
        guard
            let fields = YAMLFields(
                root, subject: "rubric",
                required: ["id", "version", "title", "level", "maxScore", "grades", "categories"],
                optional: [
                    "reducedFactor", "vetoes", "penalty", "annual", "schedule", "requirements", "attendance",
                    "documents", "thresholds", "facts",
                ],
                log: log
            )
        else { return nil }

        let id = fields.string("id") ?? ""
        if fields.has("id"), id.wholeMatch(of: /[a-z0-9-]+/) == nil {
            fields.report("id", "id '\(id)' must match [a-z0-9-]+")
        }
        let maxScore = fields.decimal("maxScore") ?? 0
        if fields.has("maxScore"), maxScore <= 0 {
            fields.report("maxScore", "'maxScore' must be greater than 0, got \(maxScore)")
        }
        let reducedFactor = fields.decimal("reducedFactor") ?? Rubric.defaultReducedFactor
        if reducedFactor < 0 || reducedFactor > 1 {
            fields.report("reducedFactor", "'reducedFactor' must lie in [0, 1], got \(reducedFactor)")
        }
        let grades = grades(fields.sequence("grades") ?? [])
        let categories = categories(fields.sequence("categories") ?? [])
        var rubric = Rubric(
            id: id,
            version: fields.string("version") ?? "",
            title: fields.string("title") ?? "",
            level: fields.choice("level", of: UnitLevel.self) ?? .branch,
            maxScore: maxScore,
            reducedFactor: reducedFactor,
            grades: grades,
            categories: categories,
            vetoes: vetoes(fields.sequence("vetoes") ?? [])
        )
        rubric.penalty = fields.value("penalty").flatMap { penalty($0, grades: grades) }
        rubric.annual = fields.value("annual").flatMap(annual) ?? .standard
        annualScopes(rubric.annual, level: rubric.level, at: fields.value("annual"))
        rubric.schedule = fields.value("schedule").flatMap { schedule($0, rules: rubric.rules) } ?? .standard
        rubric.requirements = requirements(fields.sequence("requirements") ?? [], rules: rubric.rules)
        rubric.attendance = attendance(fields.sequence("attendance") ?? [], rules: rubric.rules)
        rubric.documents = fields.value("documents").flatMap { documents($0, rules: rubric.rules) }
        rubric.thresholds = fields.value("thresholds").map(thresholds) ?? [:]
        rubric.facts = fields.value("facts").flatMap {
            facts($0, rules: rubric.rules, thresholds: rubric.thresholds)
        }
        RubricText.render(&rubric, log: log)
        for rule in rubric.rules {
            if let veto = rule.veto, !rubric.vetoes.contains(where: { $0.id == veto }) {
                log.report(
                    "rule '\(rule.id)'", at: nil as Node?, "'veto' names '\(veto)', which 'vetoes' does not list")
            }
        }

        if fields.has("maxScore"), maxScore > 0, !log.unreadableKeys.contains("base") {
            let sum = rubric.items.reduce(Decimal(0)) { $0 + $1.base }
            if sum != maxScore {
                fields.report("maxScore", "maxScore \(maxScore) is not the sum of the item bases (\(sum))")
            }
        }
        if fields.has("grades"), grades.isEmpty { fields.report("grades", "'grades' lists no grade") }
        if fields.has("categories"), categories.isEmpty {
            fields.report("categories", "'categories' lists no category")
        }
        return rubric
    }

    // MARK: Grades

    private func grades(_ nodes: [Node]) -> [GradeBand] {
        var keys = UniqueIDs(kind: "grade key", log: log)
        var bands: [(band: GradeBand, node: Node)] = []
        for (index, node) in nodes.enumerated() {
            let subject = Self.subject("grade", node, key: "key", index: index)
            guard let fields = YAMLFields(node, subject: subject, required: ["key", "label", "min"], log: log) else {
                continue
            }
            let band = GradeBand(
                key: fields.string("key") ?? "", label: fields.string("label") ?? "",
                min: fields.nonNegative("min") ?? 0)
            keys.claim(band.key, at: fields.value("key"), subject: subject)
            if fields.has("min"), let previous = bands.last, band.min >= previous.band.min {
                fields.report("min", "'min' must be below the previous grade's (\(previous.band.min)), got \(band.min)")
            }
            bands.append((band, node))
        }
        if let last = bands.last, last.band.min != 0 {
            let subject = "grade \(last.band.key)"
            log.report(
                subject, at: last.node.mapping?["min"] ?? last.node,
                "the last grade must start at 0, got \(last.band.min)")
        }
        return bands.map(\.band)
    }

    // MARK: Categories, items, rules

    private func categories(_ nodes: [Node]) -> [RubricCategory] {
        var categoryIDs = UniqueIDs(kind: "category id", log: log)
        var itemIDs = UniqueIDs(kind: "item id", log: log)
        var ruleIDs = UniqueIDs(kind: "rule id", log: log)
        return nodes.enumerated().compactMap { index, node in
            let subject = Self.subject("category", node, key: "id", index: index)
            guard let fields = YAMLFields(node, subject: subject, required: ["id", "title", "items"], log: log) else {
                return nil
            }
            let id = fields.string("id") ?? ""
            categoryIDs.claim(id, at: fields.value("id"), subject: subject)
            let itemNodes = fields.sequence("items") ?? []
            if fields.has("items"), itemNodes.isEmpty { fields.report("items", "'items' lists no item") }
            let items = itemNodes.enumerated().compactMap { itemIndex, itemNode in
                item(itemNode, index: itemIndex, in: subject, itemIDs: &itemIDs, ruleIDs: &ruleIDs)
            }
            return RubricCategory(id: id, title: fields.string("title") ?? "", items: items)
        }
    }

    private func item(_ node: Node, index: Int, in category: String, itemIDs: inout UniqueIDs, ruleIDs: inout UniqueIDs)
        -> RubricItem?
    {
        let subject = Self.subject("item", node, key: "id", index: index, in: category)
        guard let fields = YAMLFields(node, subject: subject, required: ["id", "text", "base", "rules"], log: log)
        else { return nil }
        let id = fields.string("id") ?? ""
        itemIDs.claim(id, at: fields.value("id"), subject: subject)
        let rules = (fields.sequence("rules") ?? []).enumerated().compactMap { ruleIndex, ruleNode in
            rule(ruleNode, index: ruleIndex, in: subject, ruleIDs: &ruleIDs)
        }
        let item = RubricItem(
            id: id, text: fields.string("text") ?? "", base: fields.nonNegative("base") ?? 0, rules: rules)
        relations(of: item)
        return item
    }

    private func rule(_ node: Node, index: Int, in item: String, ruleIDs: inout UniqueIDs) -> RubricRule? {
        let subject = Self.subject("rule", node, key: "id", index: index, in: item)
        guard
            let fields = YAMLFields(
                node, subject: subject, required: ["id", "type", "text", "points", "unit"],
                optional: ["maxCount", "veto", "graverThan", "excludes"], log: log)
        else {
            return nil
        }
        let id = fields.string("id") ?? ""
        ruleIDs.claim(id, at: fields.value("id"), subject: subject)
        return RubricRule(
            id: id,
            type: fields.choice("type", of: RuleType.self) ?? .deduct,
            text: fields.string("text") ?? "",
            points: fields.value("points").flatMap { points($0, subject: subject) } ?? .fixed(0),
            unit: fields.choice("unit", of: RuleUnit.self) ?? .once,
            maxCount: maxCount(fields, subject: subject),
            veto: fields.string("veto"),
            graverThan: relatedRules(fields, "graverThan", subject: subject),
            excludes: relatedRules(fields, "excludes", subject: subject)
        )
    }

    /// `graverThan: ["2.4.b"]`: a list of rule ids (checked against the item by `relations`).
    private func relatedRules(_ fields: YAMLFields, _ key: String, subject: String) -> [String] {
        guard let nodes = fields.sequence(key) else { return [] }
        return nodes.compactMap { node in
            guard let id = node.string else {
                log.report(subject, at: node, "'\(key)' must list rule ids")
                return nil
            }
            return id
        }
    }

    /// Each rule's `graverThan` and `excludes` name other deduct rules of its own item, and a graver rule never
    /// costs less than a lighter one: its least is at least the other's most (not self-assessing at all costs no
    /// less than reporting late).
    private func relations(of item: RubricItem) {
        for rule in item.rules {
            for (key, ids) in [("graverThan", rule.graverThan), ("excludes", rule.excludes)] {
                for id in ids {
                    guard id != rule.id, let other = item.rules.first(where: { $0.id == id }) else {
                        log.report(
                            "rule '\(rule.id)'", at: nil as Node?,
                            "'\(key)' names '\(id)', which is not another rule of item '\(item.id)'")
                        continue
                    }
                    guard rule.type == .deduct, other.type == .deduct else {
                        log.report("rule '\(rule.id)'", at: nil as Node?, "'\(key)' relates deduct rules only")
                        continue
                    }
                    if key == "graverThan", rule.points.least < other.points.most {
                        log.report(
                            "rule '\(rule.id)'", at: nil as Node?,
                            "is graver than '\(id)' but costs \(rule.points), less than its \(other.points)")
                    }
                }
            }
        }
    }

    /// `maxCount`: a whole number from 1 to `RubricRule.defaultMaxCount`.
    private func maxCount(_ fields: YAMLFields, subject: String) -> Int {
        guard fields.value("maxCount") != nil else { return RubricRule.defaultMaxCount }
        guard let value = fields.integer("maxCount") else { return RubricRule.defaultMaxCount }
        guard (1...RubricRule.defaultMaxCount).contains(value) else {
            log.report(
                subject, at: fields.value("maxCount"),
                "'maxCount' must be a whole number from 1 to \(RubricRule.defaultMaxCount)")
            return RubricRule.defaultMaxCount
        }
        return value
    }

    /// `2` or `[3, 4]`.
    private func points(_ node: Node, subject: String) -> RulePoints? {
        if let value = YAMLFields.decimal(node) {
            guard value >= 0 else {
                log.report(subject, at: node, "'points' must not be negative, got \(value)")
                return nil
            }
            return .fixed(value)
        }
        guard case .sequence(let sequence) = node, sequence.count == 2,
            let min = YAMLFields.decimal(sequence[0]), let max = YAMLFields.decimal(sequence[1])
        else {
            log.report(subject, at: node, "'points' must be a number or a range [min, max], got \(node.kindName)")
            return nil
        }
        guard min >= 0, max >= 0 else {
            log.report(subject, at: node, "'points' must not be negative, got [\(min), \(max)]")
            return nil
        }
        guard min <= max else {
            log.report(subject, at: node, "'points' range [\(min), \(max)] has min greater than max")
            return nil
        }
        return .range(min: min, max: max)
    }

    /// `thresholds: { satisfaction: 90 }`: names (letters) to non-negative numbers.
    private func thresholds(_ node: Node) -> [String: Decimal] {
        guard case .mapping(let mapping) = node else {
            log.report(
                "thresholds", at: node, "'thresholds' must be a mapping of names to numbers, got \(node.kindName)")
            return [:]
        }
        var values: [String: Decimal] = [:]
        for (key, value) in mapping {
            let name = key.scalar?.string ?? ""
            guard name.wholeMatch(of: /[A-Za-z][A-Za-z0-9]*/) != nil else {
                log.report("thresholds", at: key, "threshold name '\(name)' must be letters and digits")
                continue
            }
            guard let number = YAMLFields.decimal(value), number >= 0 else {
                log.report("thresholds", at: value, "threshold '\(name)' must be a non-negative number")
                continue
            }
            values[name] = number
        }
        return values
    }

    // MARK: Vetoes

    private func vetoes(_ nodes: [Node]) -> [Veto] {
        var ids = UniqueIDs(kind: "veto id", log: log)
        return nodes.enumerated().compactMap { index, node in
            let subject = Self.subject("veto", node, key: "id", index: index)
            guard let fields = YAMLFields(node, subject: subject, required: ["id", "text"], log: log) else {
                return nil
            }
            let id = fields.string("id") ?? ""
            ids.claim(id, at: fields.value("id"), subject: subject)
            return Veto(id: id, text: fields.string("text") ?? "")
        }
    }

    // MARK: Helpers

    /// `item 2.1` when the node carries its id, else `item 3 of category 2` (1-based position).
    static func subject(_ kind: String, _ node: Node, key: String, index: Int, in parent: String? = nil) -> String {
        if let id = node.mapping?[key]?.scalar?.string, !id.isEmpty { return "\(kind) \(id)" }
        return parent.map { "\(kind) \(index + 1) of \($0)" } ?? "\(kind) \(index + 1)"
    }
}

/// Ids that must be unique within one namespace of the rubric (categories, items, rules, vetoes, grade keys).
struct UniqueIDs {
    let kind: String
    let log: ProblemLog
    private var firstSeen: [String: Node] = [:]

    init(kind: String, log: ProblemLog) {
        self.kind = kind
        self.log = log
    }

    mutating func claim(_ id: String, at node: Node?, subject: String) {
        guard let node, !id.isEmpty else {
            if node != nil { log.report(subject, at: node, "\(kind) must not be empty") }
            return
        }
        if let first = firstSeen[id] {
            let place = first.mark.map { " (first at \($0.line):\($0.column))" } ?? ""
            log.report(subject, at: node, "duplicate \(kind) '\(id)'\(place)")
        } else {
            firstSeen[id] = node
        }
    }
}
