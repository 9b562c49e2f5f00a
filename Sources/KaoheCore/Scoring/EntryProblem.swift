import Foundation

/// One thing wrong in the input about a unit, one of its entries, or the input as a whole:
/// `机关第一支部 entry 3 (rule 1.4.a): points 5 outside [3, 4]`.
///
/// Entries are numbered from 1 in the order they are listed: in the contract's example the third entry
/// listed is the one with rule 1.4.a, and it is called `entry 3`.
public struct EntryProblem: Sendable, Equatable, CustomStringConvertible {
    /// The unit's name (or `unit 2` when it has none); nil for a problem of the input as a whole.
    public var unit: String?
    /// 1-based position of the entry in its unit's list; nil for a problem of the unit itself.
    public var entry: Int?
    public var rule: String?
    /// The input field the problem is about (`count`, `points`, `quarters`, …), when there is one.
    public var field: String?
    public var message: String

    public init(unit: String?, entry: Int? = nil, rule: String? = nil, field: String? = nil, message: String) {
        self.unit = unit
        self.entry = entry
        self.rule = rule
        self.field = field
        self.message = message
    }

    public var description: String {
        guard let unit else { return "input: \(message)" }
        var subject = unit
        if let entry { subject += " entry \(entry)" }
        if let rule, !rule.isEmpty { subject += " (rule \(rule))" }
        return "\(subject): \(message)"
    }
}

/// Every problem found in an input: nothing is scored while one remains, and all are named at once.
public struct EntryProblems: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [EntryProblem]

    public init(_ problems: [EntryProblem]) { self.problems = problems }

    public var messages: [String] { problems.map(\.description) }
    public var description: String { messages.joined(separator: "\n") }
}
