import Foundation
import Yams

/// Collects the problems of one rubric file while its nodes are read.
final class ProblemLog {
    let file: String
    private(set) var problems: [RubricProblem] = []
    /// Keys whose value could not be read somewhere in the file: checks that add such values up are skipped,
    /// as they would only repeat the same problem.
    private(set) var unreadableKeys: Set<String> = []

    init(file: String) { self.file = file }

    /// The problems in the order of the file: by line, then column.
    var problemsInFileOrder: [RubricProblem] {
        problems.enumerated().sorted { a, b in
            let (la, lb) = ((a.element.line ?? 0, a.element.column ?? 0), (b.element.line ?? 0, b.element.column ?? 0))
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
    }

    func markUnreadable(_ key: String) { unreadableKeys.insert(key) }

    func report(_ subject: String, at node: Node?, _ message: String) {
        report(subject, at: node?.mark, message)
    }

    func report(_ subject: String, at mark: Mark?, _ message: String) {
        problems.append(
            RubricProblem(file: file, line: mark?.line, column: mark?.column, subject: subject, message: message))
    }
}

extension Node {
    /// A plain `~`, `null` or empty scalar.
    var isNull: Bool {
        guard case .scalar(let scalar) = self else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// What the node is, for messages.
    var kindName: String {
        switch self {
        case .scalar: isNull ? "nothing" : "'\(string ?? "")'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }
}

/// One YAML mapping read as the fields of one subject (`item 2.1`): unknown keys and missing required keys
/// are reported as the mapping is opened, wrong types as each field is read.
struct YAMLFields {
    let subject: String
    let node: Node
    let log: ProblemLog
    private var values: [String: Node] = [:]

    /// Nil (with a problem reported) when the node is not a mapping.
    init?(_ node: Node, subject: String, required: [String], optional: [String] = [], log: ProblemLog) {
        self.subject = subject
        self.node = node
        self.log = log
        guard case .mapping(let mapping) = node else {
            log.report(subject, at: node, "expected a mapping, got \(node.kindName)")
            return nil
        }
        let known = Set(required + optional)
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                log.report(subject, at: key, "keys must be plain names, got \(key.kindName)")
                continue
            }
            if known.contains(name) {
                values[name] = value
            } else {
                log.report(subject, at: key, "unknown key '\(name)'")
            }
        }
        for name in required where values[name] == nil {
            log.report(subject, at: node, "missing key '\(name)'")
            log.markUnreadable(name)
        }
    }

    /// The value of a key, or nil when the key is absent.
    func value(_ key: String) -> Node? { values[key] }

    func has(_ key: String) -> Bool { values[key] != nil }

    /// Any non-null scalar, read as its text.
    func string(_ key: String) -> String? {
        guard let value = present(key) else { return nil }
        guard case .scalar(let scalar) = value else { return wrongType(key, value, expected: "text") }
        return scalar.string
    }

    /// A plain scalar in decimal notation, read exactly.
    func decimal(_ key: String) -> Decimal? {
        guard let value = present(key) else { return nil }
        return Self.decimal(value) ?? wrongType(key, value, expected: "a number")
    }

    func integer(_ key: String) -> Int? {
        guard let value = present(key) else { return nil }
        guard let number = Self.decimal(value), let integer = number.wholeNumber else {
            return wrongType(key, value, expected: "a whole number")
        }
        return integer
    }

    /// `true` or `false`, as YAML writes them.
    func boolean(_ key: String) -> Bool? {
        guard let value = present(key) else { return nil }
        guard case .scalar(let scalar) = value, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
            return wrongType(key, value, expected: "true or false")
        }
        return scalar.string == "true"
    }

    func sequence(_ key: String) -> [Node]? {
        guard let value = present(key) else { return nil }
        guard case .sequence(let sequence) = value else { return wrongType(key, value, expected: "a list") }
        return Array(sequence)
    }

    /// A value that must be one of an enumeration's raw values.
    func choice<T: RawRepresentable & CaseIterable>(_ key: String, of _: T.Type) -> T? where T.RawValue == String {
        guard let text = string(key) else { return nil }
        guard let choice = T(rawValue: text) else {
            let names = T.allCases.map(\.rawValue).joined(separator: "|")
            log.report(subject, at: values[key], "'\(key)' must be \(names), got '\(text)'")
            return nil
        }
        return choice
    }

    /// A number of a known key that must not be negative.
    func nonNegative(_ key: String) -> Decimal? {
        guard let number = decimal(key) else { return nil }
        guard number >= 0 else {
            log.report(subject, at: values[key], "'\(key)' must not be negative, got \(number)")
            log.markUnreadable(key)
            return nil
        }
        return number
    }

    func report(_ key: String, _ message: String) {
        log.report(subject, at: values[key] ?? node, message)
    }

    static func decimal(_ node: Node) -> Decimal? {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return nil }
        return Decimal(exactly: scalar.string)
    }

    private func present(_ key: String) -> Node? {
        guard let value = values[key] else { return nil }
        if value.isNull {
            log.report(subject, at: value, "'\(key)' has no value")
            log.markUnreadable(key)
            return nil
        }
        return value
    }

    private func wrongType<T>(_ key: String, _ value: Node, expected: String) -> T? {
        log.report(subject, at: value, "'\(key)' must be \(expected), got \(value.kindName)")
        log.markUnreadable(key)
        return nil
    }
}
