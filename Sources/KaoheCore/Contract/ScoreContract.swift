import Foundation

/// The input of `kaohe score`: `{ "units": [ { "unit", "baseBonus"?, "vetoes"?, "entries"? } ] }`.
public struct ScoreRequest: Sendable, Equatable, Codable {
    public var units: [UnitSheet]

    public init(units: [UnitSheet]) { self.units = units }

    /// Reads the contract's input JSON strictly (unknown keys, missing keys and wrong types are refused),
    /// naming every problem with its unit, entry and field.
    public init(json: Data) throws(EntryProblems) {
        let reading = ScoreInputReading(try JSONValue.parse(json))
        guard reading.log.problems.isEmpty else { throw EntryProblems(reading.log.problems) }
        self = reading.request
    }

    public init(from decoder: any Decoder) throws {
        let reading = ScoreInputReading(try JSONValue(from: decoder))
        guard reading.log.problems.isEmpty else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: EntryProblems(reading.log.problems).description)
            )
        }
        self = reading.request
    }
}

/// The output of `kaohe score`, rounded for presentation: points and money to 0.01, half-up.
public struct ScoreReport: Sendable, Equatable, Codable {
    public var rubric: String
    public var version: String
    public var units: [UnitReport]
    public var general: GeneralBranchPenalty

    public init(rubric: Rubric, scores: [UnitScore]) {
        self.rubric = rubric.id
        self.version = rubric.version
        units = scores.map(UnitReport.init)
        general = GeneralBranchPenalty(scores: scores, policy: rubric.penalty)
    }

    /// Scores every unit of the request, or names every problem of it.
    public init(rubric: Rubric, request: ScoreRequest) throws(EntryProblems) {
        self.init(rubric: rubric, scores: try Scorer(rubric: rubric).score(request.units))
    }
}

public struct UnitReport: Sendable, Equatable, Codable {
    public var unit: String
    public var total: Decimal
    public var bonus: Decimal
    public var grade: String
    public var gradeLabel: String
    public var vetoed: Bool
    public var penalty: Decimal
    public var categories: [Category]
    public var items: [Item]

    public struct Category: Sendable, Equatable, Codable {
        public var id: String
        public var score: Decimal
        public var max: Decimal
    }

    public struct Item: Sendable, Equatable, Codable {
        public var id: String
        public var base: Decimal
        public var deducted: Decimal
        public var score: Decimal
    }

    public init(_ score: UnitScore) {
        unit = score.unit
        total = score.total.rounded(scale: 2)
        bonus = score.bonus.rounded(scale: 2)
        grade = score.grade.key
        gradeLabel = score.grade.label
        vetoed = score.vetoed
        penalty = score.penalty
        categories = score.categories.map {
            Category(id: $0.id, score: $0.score.rounded(scale: 2), max: $0.max.rounded(scale: 2))
        }
        items = score.items.map {
            Item(
                id: $0.id, base: $0.base.rounded(scale: 2), deducted: $0.deducted.rounded(scale: 2),
                score: $0.score.rounded(scale: 2))
        }
    }
}

/// The walk over a `kaohe score` input: what could be read, and what was wrong with its shape.
struct ScoreInputReading {
    var request = ScoreRequest(units: [])
    var log = InputLog()

    init(_ root: JSONValue) {
        for (index, value) in log.units(of: root).enumerated() {
            request.units.append(readUnit(value, index: index))
        }
    }

    private mutating func readUnit(_ value: JSONValue, index: Int) -> UnitSheet {
        let label = InputLog.unitLabel(value, index: index)
        var messages: [FieldProblem] = []
        let fields = JSONFields(
            value, what: "the unit", required: ["unit"], optional: ["baseBonus", "vetoes", "entries"]
        ) {
            messages.append(($0, $1))
        }
        var sheet = UnitSheet(unit: label)
        if let fields {
            sheet.baseBonus = fields.decimal("baseBonus") ?? 0
            sheet.vetoes = (fields.array("vetoes") ?? []).compactMap { veto in
                guard case .string(let id) = veto else {
                    messages.append(("vetoes", "'vetoes' must list veto ids, got \(veto.kindName)"))
                    return nil
                }
                return id
            }
            sheet.entries = (fields.array("entries") ?? []).enumerated().map { position, entry in
                readEntry(entry, unit: label, position: position + 1)
            }
        }
        log.record(messages, unit: label)
        return sheet
    }

    private mutating func readEntry(_ value: JSONValue, unit: String, position: Int) -> Entry {
        var messages: [FieldProblem] = []
        let fields = JSONFields(
            value, what: "the entry", required: ["rule"],
            optional: ["count", "points", "case", "note", "selfFound", "corrected", "mitigation"]
        ) { messages.append(($0, $1)) }
        var entry = Entry(rule: "")
        if let fields {
            entry.rule = fields.string("rule") ?? ""
            entry.count = fields.integer("count")
            entry.points = fields.decimal("points")
            entry.caseText = fields.string("case")
            entry.note = fields.string("note")
            entry.selfFound = fields.bool("selfFound") ?? false
            entry.corrected = fields.bool("corrected") ?? false
            if let mitigation = fields.string("mitigation") {
                if let known = Mitigation(rawValue: mitigation) {
                    entry.mitigation = known
                } else {
                    messages.append(
                        ("mitigation", "'mitigation' must be none, reduced or waived, got \"\(mitigation)\""))
                }
            }
        } else {
            // Not even an object: nothing in it the rubric could check.
            log.markMalformed(unit: unit, entry: position, fields: ["rule"])
        }
        log.record(messages, unit: unit, entry: position, rule: entry.rule)
        return entry
    }
}
