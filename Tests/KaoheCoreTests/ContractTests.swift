import Foundation
import Testing

@testable import KaoheCore

/// `kaohe score` and `kaohe annual` as pure functions (contracts/kaohe-score.md).
@Suite("Contract")
struct ContractTests {
    func json(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    func score(_ input: String, rubric: String = SampleRubric.yaml) -> Result<Data, ContractFailure> {
        Contract.score(rubricYAML: rubric, rubricFile: "sample.yaml", input: Data(input.utf8))
    }

    func failure(_ result: Result<Data, ContractFailure>) -> [String] {
        guard case .failure(let failure) = result else { return [] }
        return failure.messages
    }

    @Test("The worked example: tiny-rubric + tiny-input give exactly tiny-output (as JSON, numbers exact)")
    func tinyExample() throws {
        let result = Contract.score(
            rubricYAML: try Fixture.text("tiny-rubric.yaml"), rubricFile: "tiny-rubric.yaml",
            input: try Fixture.data("tiny-input.json")
        )
        let output = try result.get()
        #expect(try json(output) == json(try Fixture.data("tiny-output.json")))
    }

    @Test("JSONDecoder reads decimals from their digits on this platform: 0.1, 3.35, 216.67 arrive exactly")
    func decimalsStayExact() throws {
        let request = try ScoreRequest(
            json: Data(
                #"{"units":[{"unit":"甲","baseBonus":216.67,"entries":[{"rule":"a","points":0.1},{"rule":"b","points":3.35}]}]}"#
                    .utf8))
        #expect(request.units[0].baseBonus == dec("216.67"))
        #expect(request.units[0].entries.map(\.points) == [dec("0.1"), dec("3.35")])
        #expect(dec("0.1") + dec("0.2") == dec("0.3"))
    }

    @Test("Output numbers are JSON numbers with at most two decimals, rounded half-up")
    func outputNumbers() throws {
        // 1.25 × 0.5 = 0.625 deducted → 0.63; the item keeps 88 − 0.625 = 87.375 → 87.38.
        let output = try score(
            #"""
            {"units":[{"unit":"甲","entries":[{"rule":"2.1.a","count":1,"points":1.25,"selfFound":true,"corrected":true,"mitigation":"reduced"}]}]}
            """#
        ).get()
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.contains(#""deducted" : 0.63"#))
        #expect(text.contains(#""total" : 99.38"#))
        #expect(!text.contains(#""total" : ""#))
        let report = try JSONDecoder().decode(ScoreReport.self, from: output)
        #expect(report.units[0].items.first { $0.id == "2.1" }?.score == dec("87.38"))
    }

    @Test("Malformed JSON is refused with a clear message, not a crash")
    func malformedJSON() {
        #expect(failure(score(#"{"units": ["#)) == ["input: not valid JSON: Unexpected end of file during JSON parse."])
        #expect(failure(score("[]")) == ["input: the input must be an object, got a list"])
        #expect(failure(score("{}")) == ["input: missing 'units'"])
    }

    @Test("Shape problems name the unit, the entry and the field, together with the rubric's problems")
    func shapeProblems() {
        let input = #"""
            { "units": [
              { "unit": "甲", "baseBonus": "6000", "entries": [
                  { "rule": "1.5.a", "count": "3" },
                  { "rule": "1.5.a", "count": 1.5, "cout": 2 },
                  { "rule": "1.4.a", "points": 5 },
                  7,
                  { "rule": "2.1.c", "mitigation": "light" },
                  { "count": 2 } ] },
              { "baseBonus": 1 },
              "乙"
            ] }
            """#
        #expect(
            failure(score(input)) == [
                "甲: 'baseBonus' must be a number, got \"6000\"",
                "甲 entry 1 (rule 1.5.a): 'count' must be an integer, got \"3\"",
                "甲 entry 2 (rule 1.5.a): unknown key 'cout'",
                "甲 entry 2 (rule 1.5.a): 'count' must be an integer, got 1.5",
                "甲 entry 3 (rule 1.4.a): points 5 outside [3, 4]",
                "甲 entry 4: the entry must be an object, got 7",
                "甲 entry 5 (rule 2.1.c): 'mitigation' must be none, reduced or waived, got \"light\"",
                "甲 entry 6: missing 'rule'",
                "unit 2: missing 'unit'",
                "unit 3: the unit must be an object, got \"乙\"",
            ])
    }

    @Test("The contract's own example message")
    func contractExampleMessage() {
        let input = #"""
            { "units": [ { "unit": "机关第一支部", "baseBonus": 6000, "vetoes": ["V1"], "entries": [
                { "rule": "1.1.a" }, { "rule": "2.1.a", "count": 3, "points": 1 }, { "rule": "1.4.a", "points": 5 } ] } ] }
            """#
        #expect(failure(score(input)) == ["机关第一支部 entry 3 (rule 1.4.a): points 5 outside [3, 4]"])
    }

    @Test("A rubric with problems gives only the rubric's problems")
    func rubricProblemsFirst() {
        let broken = SampleRubric.yaml.replacingOccurrences(of: "base: 88", with: "base: 87")
        #expect(
            failure(score(#"{"units": []}"#, rubric: broken)) == [
                "sample.yaml:5:11: rubric: maxScore 100 is not the sum of the item bases (99)"
            ])
    }

    @Test("No units: an empty report and a general branch paying nothing")
    func noUnits() throws {
        let report = try JSONDecoder().decode(ScoreReport.self, from: try score(#"{"units": []}"#).get())
        #expect(report.units.isEmpty)
        #expect(report.general == .zero)
        #expect(report.rubric == "sample")
    }

    @Test("ScoreRequest decodes strictly through Decodable too")
    func decodableRequest() throws {
        let good = try JSONDecoder().decode(
            ScoreRequest.self, from: Data(#"{"units":[{"unit":"甲","entries":[{"rule":"1.1.a","case":"x"}]}]}"#.utf8))
        #expect(good.units[0].entries[0] == Entry(rule: "1.1.a", caseText: "x"))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(
                ScoreRequest.self, from: Data(#"{"units":[{"unit":"甲","entries":[{"rul":"1.1.a"}]}]}"#.utf8))
        }
        let encoded = try JSONEncoder().encode(good)
        #expect(try JSONDecoder().decode(ScoreRequest.self, from: encoded) == good)
    }

    @Test("kaohe annual: ranked output with yearly, peer and composite rounded to 0.01")
    func annual() throws {
        let input = #"""
            { "units": [
              { "unit": "机关第一支部", "quarters": [96, 97, 95, 98], "bonus": 3,
                "self": 90, "peer": { "机关第二支部": 80, "机关第三支部": 90, "机关第一支部": 100 }, "panel": 88, "vetoed": false },
              { "unit": "机关第二支部", "quarters": [99, 99, 99, 99], "self": 95, "peer": { "机关第一支部": 95 }, "panel": 95, "vetoed": true },
              { "unit": "机关第三支部", "quarters": [96, 97, 95, 98.1], "self": 90, "peer": { "机关第二支部": 80, "机关第一支部": 91 }, "panel": 88 }
            ] }
            """#
        let output = try Contract.annual(
            rubricYAML: SampleRubric.yaml, rubricFile: "sample.yaml", input: Data(input.utf8)
        ).get()
        let report = try JSONDecoder().decode(AnnualReport.self, from: output)
        #expect(report.units.map(\.unit) == ["机关第三支部", "机关第一支部", "机关第二支部"])
        #expect(
            report.units[0]
                == AnnualReport.Unit(
                    unit: "机关第三支部", yearly: dec("96.53"), peer: dec("85.5"), composite: dec("92.94"), rank: 1,
                    proposed: true, vetoed: false
                ))
        #expect(report.units[1].composite == dec("92.85"))
        #expect(report.units[2].proposed == false)
        #expect(report.units[2].vetoed)
    }

    @Test("kaohe annual: problems name the unit and the field, all at once")
    func annualProblems() {
        let input =
            #"{"units":[{"unit":"a","quarters":[1,2,"3"],"self":101,"peer":{"a":50},"panel":"x","extra":1}, 5]}"#
        let result = Contract.annual(rubricYAML: SampleRubric.yaml, rubricFile: "sample.yaml", input: Data(input.utf8))
        #expect(
            failure(result) == [
                "a: unknown key 'extra'",
                "a: 'quarters' must list numbers, got \"3\"",
                "a: 'panel' must be a number, got \"x\"",
                "a: self rating 101 outside [0, 100]",
                "a: peer needs at least one rating from another unit",
                "unit 2: the unit must be an object, got 5",
            ])
    }
}
