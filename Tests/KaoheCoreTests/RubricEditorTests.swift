import Foundation
import Testing

@testable import KaoheCore

@Suite struct RubricEditorTests {
    let yaml = """
        id: t
        version: "2022.1"   # the file's own label
        rules:
        categories:
          - id: "1"
            items:
              - id: "1.1"
                base: 2   # default
                rules:
                  - { id: "1.1.a", type: deduct, text: 支部班子配备不全、配备不合理, points: 2, unit: once }
                  - { id: "1.1.b", type: bonus, text: 视情加分, points: [1, 2], unit: once }
        """

    @Test func aNumberAfterChineseTextOnAFlowLineIsReplacedInPlace() throws {
        let edited = try RubricEditor.apply([.init(.rulePoints(rule: "1.1.a"), "1.5")], to: yaml)
        #expect(edited.contains("text: 支部班子配备不全、配备不合理, points: 1.5, unit: once }"))
    }

    @Test func commentsAndEverythingElseStay() throws {
        let edited = try RubricEditor.apply([.init(.itemBase(item: "1.1"), "3"), .init(.version, "2022.2")], to: yaml)
        #expect(
            edited
                == yaml
                .replacingOccurrences(of: "base: 2   # default", with: "base: 3   # default")
                .replacingOccurrences(of: "\"2022.1\"", with: "\"2022.2\""))
    }

    @Test func bothEndsOfARangeOnOneLine() throws {
        let edited = try RubricEditor.apply(
            [
                .init(.ruleRange(rule: "1.1.b", upper: false), "0.5"),
                .init(.ruleRange(rule: "1.1.b", upper: true), "10"),
            ], to: yaml)
        #expect(edited.contains("points: [0.5, 10], unit: once }"))
    }

    @Test func anUnknownAddressOrANonNumberIsAProblem() {
        #expect(throws: RubricEditor.Problem.self) {
            try RubricEditor.apply([.init(.itemBase(item: "9.9"), "1")], to: yaml)
        }
        #expect(throws: RubricEditor.Problem.self) {
            try RubricEditor.apply([.init(.itemBase(item: "1.1"), "two")], to: yaml)
        }
    }
}
