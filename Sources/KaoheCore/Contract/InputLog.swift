import Foundation

/// A problem found while reading the input's shape, with the field it is about (nil for an unknown key).
typealias FieldProblem = (field: String?, message: String)

/// A field of the input by its place: the unit's name, the entry's position (1-based, nil for the unit's own
/// fields) and the field's key.
struct FieldSpot: Hashable {
    var unit: String
    var entry: Int?
    var field: String
}

/// The problems of an input's shape, and the fields that could not be read. The domain's own checks of such a
/// field (a missing count, a peer list with no rating) would only repeat the same problem in other words, so
/// `unlessMalformed` drops them; every other problem of the domain is still reported alongside.
struct InputLog {
    private(set) var problems: [EntryProblem] = []
    private(set) var malformed: Set<FieldSpot> = []

    /// The input's `units` list; an input without one is reported as a whole.
    mutating func units(of root: JSONValue) -> [JSONValue] {
        var messages: [FieldProblem] = []
        let top = JSONFields(root, what: "the input", required: ["units"], optional: []) { messages.append(($0, $1)) }
        let units = top?.array("units") ?? []
        problems += messages.map { EntryProblem(unit: nil, message: $0.message) }
        return units
    }

    mutating func record(_ messages: [FieldProblem], unit: String, entry: Int? = nil, rule: String? = nil) {
        for (field, message) in messages {
            problems.append(EntryProblem(unit: unit, entry: entry, rule: rule, field: field, message: message))
            if let field { malformed.insert(FieldSpot(unit: unit, entry: entry, field: field)) }
        }
    }

    mutating func markMalformed(unit: String, entry: Int? = nil, fields: [String]) {
        for field in fields { malformed.insert(FieldSpot(unit: unit, entry: entry, field: field)) }
    }

    func unlessMalformed(_ problems: [EntryProblem]) -> [EntryProblem] {
        problems.filter { problem in
            guard let unit = problem.unit, let field = problem.field else { return true }
            return !malformed.contains(FieldSpot(unit: unit, entry: problem.entry, field: field))
        }
    }

    /// The unit's name, or `unit 2` (1-based) when it has none.
    static func unitLabel(_ value: JSONValue, index: Int) -> String {
        if case .object(let object) = value, case .string(let name)? = object["unit"], !name.isEmpty { return name }
        return "unit \(index + 1)"
    }
}
