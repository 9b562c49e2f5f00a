import Foundation
import Yams

/// Changes numbers of a rubric in its YAML text, in place: every comment (the `# default` marks), every
/// line and the order of everything else stay as the bureau wrote them. The result is text to check
/// with `RubricLoader` and save as a new version; the editor itself judges nothing but the addresses.
public enum RubricEditor {
    /// Where a number lives in a rubric file.
    public enum Target: Hashable, Sendable, CustomStringConvertible {
        case itemBase(item: String)
        /// A fixed `points: 2`.
        case rulePoints(rule: String)
        /// One end of a range `points: [3, 4]`.
        case ruleRange(rule: String, upper: Bool)
        case gradeMin(grade: String)
        /// `penalty.multiplier`, `.reference`, `.rate`, `.generalSecretaryShare`, `.deputySecretaryShare`.
        case penalty(field: String)
        /// `annual.weights.quarterly`, `.self`, `.peer`, `.panel`.
        case annualWeight(field: String)
        /// A count of the ledger's `requirements`, by position: `perYear`, `perHalfYear`, `perQuarter`, `perMonth`,
        /// `perWeek` or `weekday`.
        case requirement(index: Int, field: String)
        /// The file's `version` label.
        case version

        public var description: String {
            switch self {
            case .itemBase(let item): "item \(item) base"
            case .rulePoints(let rule): "rule \(rule) points"
            case .ruleRange(let rule, let upper): "rule \(rule) points \(upper ? "max" : "min")"
            case .gradeMin(let grade): "grade \(grade) min"
            case .penalty(let field): "penalty.\(field)"
            case .annualWeight(let field): "annual.weights.\(field)"
            case .requirement(let index, let field): "requirements[\(index)].\(field)"
            case .version: "version"
            }
        }
    }

    public struct Edit: Hashable, Sendable {
        public var target: Target
        /// The new text: a number, or for `.version` any label.
        public var value: String

        public init(_ target: Target, _ value: String) {
            self.target = target
            self.value = value
        }
    }

    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func apply(_ edits: [Edit], to yaml: String) throws(Problem) -> String {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { throw Problem(description: "empty rubric") }
            root = node
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(description: "the rubric is not valid YAML: \(error)")
        }
        var replacements: [(line: Int, column: Int, length: Int, text: String)] = []
        for edit in edits {
            guard let node = find(edit.target, in: root), let scalar = node.scalar, let mark = scalar.mark else {
                throw Problem(description: "\(edit.target): not found in the rubric")
            }
            let quoted = scalar.style == .doubleQuoted || scalar.style == .singleQuoted
            if edit.target != .version && (quoted || Decimal(string: edit.value) == nil) {
                throw Problem(description: "\(edit.target): '\(edit.value)' is not a number")
            }
            let text =
                edit.target == .version ? "\"\(edit.value.replacingOccurrences(of: "\"", with: ""))\"" : edit.value
            let length = scalar.string.unicodeScalars.count + (quoted ? 2 : 0)
            replacements.append((mark.line, mark.column, length, text))
        }
        var lines = yaml.components(separatedBy: "\n")
        // Right to left within a line, so earlier columns stay where they were.
        for r in replacements.sorted(by: { ($0.line, $0.column) > ($1.line, $1.column) }) {
            var scalars = Array(lines[r.line - 1].unicodeScalars)
            scalars.replaceSubrange((r.column - 1)..<(r.column - 1 + r.length), with: r.text.unicodeScalars)
            var line = String.UnicodeScalarView()
            line.append(contentsOf: scalars)
            lines[r.line - 1] = String(line)
        }
        return lines.joined(separator: "\n")
    }

    private static func find(_ target: Target, in root: Node) -> Node? {
        switch target {
        case .version:
            return root["version"]
        case .penalty(let field):
            return root["penalty"]?[field]
        case .annualWeight(let field):
            return root["annual"]?["weights"]?[field]
        case .requirement(let index, let field):
            guard let requirements = root["requirements"]?.sequence, requirements.indices.contains(index) else {
                return nil
            }
            return requirements[index][field]
        case .gradeMin(let grade):
            return root["grades"]?.sequence?.first { $0["key"]?.string == grade }?["min"]
        case .itemBase(let item):
            return items(root).first { $0["id"]?.string == item }?["base"]
        case .rulePoints(let rule):
            return rules(root).first { $0["id"]?.string == rule }?["points"]
        case .ruleRange(let rule, let upper):
            let points = rules(root).first { $0["id"]?.string == rule }?["points"]?.sequence
            guard let points, points.count == 2 else { return nil }
            return points[upper ? 1 : 0]
        }
    }

    private static func items(_ root: Node) -> [Node] {
        (root["categories"]?.sequence ?? []).flatMap { $0["items"]?.sequence ?? [] }
    }

    private static func rules(_ root: Node) -> [Node] {
        items(root).flatMap { $0["rules"]?.sequence ?? [] }
    }
}
