import Foundation

/// One thing wrong in a rubric file, with where it is:
/// `bureau-branch.yaml:42:9: item 2.1: unknown key 'bsae'`.
public struct RubricProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based, from the YAML node's mark; nil when YAML gives no position.
    public var line: Int?
    public var column: Int?
    /// What the problem is about: `rubric`, `category 1`, `item 2.1`, `rule 1.4.a`, `grade basic`, `penalty`, …
    public var subject: String
    public var message: String

    public init(file: String, line: Int?, column: Int?, subject: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.subject = subject
        self.message = message
    }

    public var description: String {
        var place = file
        if let line, let column { place += ":\(line):\(column)" }
        return subject.isEmpty ? "\(place): \(message)" : "\(place): \(subject): \(message)"
    }
}

/// Every problem found in one rubric file: a rubric is refused as a whole, and all its problems are named at once.
public struct RubricProblems: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [RubricProblem]

    public init(_ problems: [RubricProblem]) { self.problems = problems }

    public var messages: [String] { problems.map(\.description) }
    public var description: String { messages.joined(separator: "\n") }
}
