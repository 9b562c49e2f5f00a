import Foundation
import Testing

@testable import KaoheCore

/// The strict loader: every problem names the file, the line and column, and the key or id involved.
@Suite("Rubric loader")
struct RubricLoaderTests {
    /// The sample rubric with one piece of text replaced (it must occur in the sample).
    func edited(_ edits: (String, String)...) -> String {
        var yaml = SampleRubric.yaml
        for (old, new) in edits {
            guard let range = yaml.range(of: old) else {
                Issue.record("not in the sample: \(old)")
                continue
            }
            yaml.replaceSubrange(range, with: new)
        }
        return yaml
    }

    func problems(_ yaml: String, file: String = "bureau-branch.yaml") -> [String] {
        RubricLoader.problems(yaml: yaml, file: file).map(\.description)
    }

    @Test("The sample loads, with its numbers")
    func sampleLoads() throws {
        let rubric = try SampleRubric.rubric()
        #expect(rubric.id == "sample")
        #expect(rubric.version == "2026.1")
        #expect(rubric.level == .branch)
        #expect(rubric.maxScore == 100)
        #expect(rubric.categories.map(\.points) == [12, 88])
        #expect(rubric.rule(id: "1.4.a")?.points == .range(min: 3, max: 4))
        #expect(rubric.rule(id: "1.5.a")?.unit == .each)
        #expect(rubric.rule(id: "2.1.b")?.type == .bonus)
        #expect(rubric.grades.map(\.min) == [97, 90, 86, 0])
        #expect(rubric.penalty?.multiplier == dec("1.3"))
        #expect(rubric.annual.weights.peer == dec("0.15"))
        #expect(rubric.vetoes.map(\.id) == ["V1", "V2"])
    }

    @Test("Optional sections take their defaults: reducedFactor 0.5, weights 0.6/0.1/0.15/0.15, 1 award")
    func defaults() throws {
        let rubric = try Fixture.tinyRubric()
        #expect(rubric.reducedFactor == dec("0.5"))
        #expect(rubric.annual == .standard)
        #expect(
            rubric.annual.weights
                == AnnualWeights(quarterly: dec("0.6"), selfRating: dec("0.1"), peer: dec("0.15"), panel: dec("0.15")))
        #expect(rubric.annual.awards.max == 1)
        #expect(rubric.schedule == Schedule(selfReportDay: 10, panelReviewDay: 15, objectionDays: 7))
        #expect(rubric.requirements.isEmpty)
    }

    @Test("A rule may name the veto it is the same event as; a veto the rubric does not list is refused")
    func ruleNamesItsVeto() throws {
        let named = try RubricLoader.load(
            yaml: edited(("严重违纪扣10分, points: 10, unit: once", "严重违纪扣10分, points: 10, unit: once, veto: V1")),
            file: "sample.yaml")
        #expect(named.rule(id: "2.1.c")?.veto == "V1")
        #expect(try SampleRubric.rubric().rule(id: "2.1.c")?.veto == nil)
        let unknown = problems(
            edited(("严重违纪扣10分, points: 10, unit: once", "严重违纪扣10分, points: 10, unit: once, veto: V9")))
        #expect(unknown.contains { $0.contains("2.1.c") && $0.contains("V9") }, "\(unknown)")
    }

    @Test("A graver rule that costs less than the lighter one it names is refused; a relation outside the item too")
    func graverRulesCostMore() throws {
        let graver = "严重违纪扣10分, points: 10, unit: once"
        let declared = try RubricLoader.load(
            yaml: edited((graver, graver + ", graverThan: [\"2.1.a\"], excludes: [\"2.1.a\"]")), file: "sample.yaml")
        #expect(declared.excluded(by: "2.1.a") == ["2.1.c"], "read both ways")
        #expect(declared.items.first { $0.id == "2.1" }?.mostDeducted == 1998, "2.1.a at its most, 2.1.c left out")
        let cheaper = problems(
            edited(("严重违纪扣10分, points: 10, unit: once", "严重违纪扣10分, points: 1, unit: once, graverThan: [\"2.1.a\"]")))
        #expect(cheaper.contains { $0.contains("2.1.c") && $0.contains("graver than '2.1.a'") }, "\(cheaper)")
        let elsewhere = problems(edited((graver, graver + ", excludes: [\"1.4.a\"]")))
        #expect(elsewhere.contains { $0.contains("2.1.c") && $0.contains("not another rule of item '2.1'") })
        let bonus = problems(edited((graver, graver + ", excludes: [\"2.1.b\"]")))
        #expect(bonus.contains { $0.contains("deduct rules only") })
    }

    @Test("Awards and 互评 within a unit: a level above the rubric's own, else refused")
    func annualWithin() throws {
        let member = try SeedRubrics.load("member.yaml")
        #expect(member.annual.awards.within == .group && member.annual.peersWithin == .group)
        #expect(try SeedRubrics.load("party-group.yaml").annual.peersWithin == .branch)
        #expect(try SeedRubrics.load("bureau-branch.yaml").annual.peersWithin == nil)
        let yaml = try SeedRubrics.text("party-group.yaml").replacingOccurrences(
            of: "peers: { within: branch }", with: "peers: { within: member }")
        let refused = RubricLoader.problems(yaml: yaml, file: "party-group.yaml").map(\.description)
        #expect(refused.contains { $0.contains("annual.peers.within") && $0.contains("'member'") }, "\(refused)")
    }

    @Test("A misspelt key is refused, naming file, line, column, item and key")
    func unknownKey() {
        #expect(
            problems(edited(("base: 88", "bsae: 88"))) == [
                "bureau-branch.yaml:34:9: item 2.1: missing key 'base'",
                "bureau-branch.yaml:36:9: item 2.1: unknown key 'bsae'",
            ])
    }

    @Test("A missing required key is refused at its mapping")
    func missingKey() {
        #expect(
            problems(edited(("        text: 遵守纪律\n", ""))) == ["bureau-branch.yaml:34:9: item 2.1: missing key 'text'"])
        #expect(
            problems(edited(("version: \"2026.1\"\n", ""))) == ["bureau-branch.yaml:1:1: rubric: missing key 'version'"]
        )
    }

    @Test("A value of the wrong type is refused at the value")
    func wrongType() {
        #expect(
            problems(edited(("base: 88", "base: many"))) == [
                "bureau-branch.yaml:36:15: item 2.1: 'base' must be a number, got 'many'"
            ])
        #expect(
            problems(edited(("base: 88", "base: \"88\""))) == [
                "bureau-branch.yaml:36:15: item 2.1: 'base' must be a number, got '88'"
            ])
        #expect(
            problems(edited(("grades: [basic, unqualified]", "grades: basic"))) == [
                "bureau-branch.yaml:48:11: penalty: 'grades' must be a list, got 'basic'"
            ])
    }

    @Test("Duplicate ids are refused: category, item, rule, veto and grade key")
    func duplicateIds() {
        #expect(
            problems(edited(("id: \"2\"", "id: \"1\""))) == [
                "bureau-branch.yaml:31:9: category 1: duplicate category id '1' (first at 12:9)"
            ])
        #expect(
            problems(edited(("id: \"1.5\"", "id: \"1.4\""))) == [
                "bureau-branch.yaml:26:13: item 1.4: duplicate item id '1.4' (first at 20:13)"
            ])
        #expect(
            problems(edited(("id: \"2.1.c\"", "id: \"1.4.a\""))) == [
                "bureau-branch.yaml:40:19: rule 1.4.a: duplicate rule id '1.4.a' (first at 24:19)"
            ])
        #expect(
            problems(edited(("id: V2", "id: V1"))) == [
                "bureau-branch.yaml:43:11: veto V1: duplicate veto id 'V1' (first at 42:11)"
            ])
        #expect(
            problems(edited(("key: qualified", "key: excellent"))) == [
                "bureau-branch.yaml:8:12: grade excellent: duplicate grade key 'excellent' (first at 7:12)"
            ])
    }

    @Test("Item bases must add up to maxScore")
    func basesSumToMaxScore() {
        #expect(
            problems(edited(("base: 88", "base: 87"))) == [
                "bureau-branch.yaml:5:11: rubric: maxScore 100 is not the sum of the item bases (99)"
            ])
    }

    @Test("Grade bands: min strictly decreasing, the last starting at 0")
    func gradeBands() {
        #expect(
            problems(edited(("min: 90", "min: 97"))) == [
                "bureau-branch.yaml:8:45: grade qualified: 'min' must be below the previous grade's (97), got 97"
            ])
        #expect(
            problems(edited(("min: 0 }", "min: 5 }"))) == [
                "bureau-branch.yaml:10:44: grade unqualified: the last grade must start at 0, got 5"
            ])
    }

    @Test("penalty.grades must name grade keys of the rubric")
    func penaltyGrades() {
        #expect(
            problems(edited(("[basic, unqualified]", "[basic, unqualifed]"))) == [
                "bureau-branch.yaml:48:19: penalty: 'grades' names unknown grade 'unqualifed'"
            ])
    }

    @Test("Points: ranges with min > max and negative points are refused")
    func points() {
        #expect(
            problems(edited(("points: [3, 4]", "points: [4, 3]"))) == [
                "bureau-branch.yaml:24:68: rule 1.4.a: 'points' range [4, 3] has min greater than max"
            ])
        #expect(
            problems(edited(("points: 1, unit: each", "points: -1, unit: each"))) == [
                "bureau-branch.yaml:30:65: rule 1.5.a: 'points' must not be negative, got -1"
            ])
        #expect(
            problems(edited(("points: 10", "points: [1, 2, 3]"))) == [
                "bureau-branch.yaml:40:66: rule 2.1.c: 'points' must be a number or a range [min, max], got a list"
            ])
    }

    @Test("annual.weights must sum to 1")
    func weightsSumToOne() {
        #expect(
            problems(edited(("panel: 0.15", "panel: 0.2"))) == [
                "bureau-branch.yaml:52:12: annual.weights: the weights sum to 1.05, not 1"
            ])
    }

    @Test("The rubric id must match [a-z0-9-]+, the level be branch, group or member")
    func idAndLevel() {
        #expect(
            problems(edited(("id: sample", "id: Bureau_Branch"))) == [
                "bureau-branch.yaml:1:5: rubric: id 'Bureau_Branch' must match [a-z0-9-]+"
            ])
        #expect(
            problems(edited(("level: branch", "level: brnch"))) == [
                "bureau-branch.yaml:4:8: rubric: 'level' must be branch|group|member, got 'brnch'"
            ])
    }

    @Test("Rule type and unit are checked")
    func ruleTypeAndUnit() {
        #expect(
            problems(
                edited(
                    ("type: bonus, text: 获通报", "type: plus, text: 获通报"),
                    ("扣1分, points: 1, unit: each", "扣1分, points: 1, unit: every"))) == [
                    "bureau-branch.yaml:30:74: rule 1.5.a: 'unit' must be once|each, got 'every'",
                    "bureau-branch.yaml:39:34: rule 2.1.b: 'type' must be deduct|bonus, got 'plus'",
                ])
    }

    @Test("A YAML syntax error names its line and column")
    func syntaxError() {
        #expect(
            problems("id: x\n  bad: [\n") == [
                "bureau-branch.yaml:2:6: not valid YAML: mapping values are not allowed in this context"
            ])
        #expect(problems("") == ["bureau-branch.yaml: the file holds no rubric"])
        #expect(problems("id: x\nid: y\n") == ["bureau-branch.yaml:1:1: duplicate key 'id'"])
    }

    @Test("The file name given is the one named")
    func fileName() {
        let messages = problems(edited(("base: 88", "base: 87")), file: "rubrics/member.yaml")
        #expect(messages.allSatisfy { $0.hasPrefix("rubrics/member.yaml:5:11: ") })
        #expect(messages.count == 1)
    }

    @Test("All problems are reported at once, in the order of the file")
    func allAtOnce() {
        let yaml = edited(
            ("id: sample", "id: Sample"), ("min: 90", "min: 97"), ("base: 4\n", "bsae: 4\n"),
            ("points: [3, 4]", "points: [4, 3]"),
            ("id: V2", "id: V1"), ("panel: 0.15", "panel: 0.2")
        )
        let messages = problems(yaml)
        #expect(
            messages == [
                "bureau-branch.yaml:1:5: rubric: id 'Sample' must match [a-z0-9-]+",
                "bureau-branch.yaml:8:45: grade qualified: 'min' must be below the previous grade's (97), got 97",
                "bureau-branch.yaml:20:9: item 1.4: missing key 'base'",
                "bureau-branch.yaml:22:9: item 1.4: unknown key 'bsae'",
                "bureau-branch.yaml:24:68: rule 1.4.a: 'points' range [4, 3] has min greater than max",
                "bureau-branch.yaml:43:11: veto V1: duplicate veto id 'V1' (first at 42:11)",
                "bureau-branch.yaml:52:12: annual.weights: the weights sum to 1.05, not 1",
            ])
        #expect(throws: RubricProblems.self) { try RubricLoader.load(yaml: yaml, file: "bureau-branch.yaml") }
    }

    @Test("Extension sections schedule and requirements load when valid")
    func extensionsLoad() throws {
        let yaml =
            SampleRubric.yaml + "\n" + """
                schedule: { selfReportDay: 8, panelReviewDay: 14, objectionDays: 5 }
                requirements:
                  - { activity: memberMeeting, perYear: 4, perQuarter: 1, rule: "1.5.a" }
                  - { activity: branchActivity, perQuarter: 1, perHalfYear: 2, eachGroup: true, rule: "2.1.a" }
                  - { activity: studySession, perWeek: 1, weekday: 3, rule: "2.1.a" }
                  - { activity: duesHandover, perMonth: 1, rule: "2.1.a" }
                """
        let rubric = try RubricLoader.load(yaml: yaml, file: "sample.yaml")
        #expect(rubric.schedule == Schedule(selfReportDay: 8, panelReviewDay: 14, objectionDays: 5))
        #expect(
            rubric.requirements == [
                ActivityRequirement(activity: .memberMeeting, perYear: 4, perQuarter: 1, rule: "1.5.a"),
                ActivityRequirement(
                    activity: .branchActivity, perQuarter: 1, perHalfYear: 2, eachGroup: true, rule: "2.1.a"),
                ActivityRequirement(activity: .studySession, perWeek: 1, weekday: 3, rule: "2.1.a"),
                ActivityRequirement(activity: .duesHandover, perMonth: 1, rule: "2.1.a"),
            ])
    }

    @Test("Extension sections are validated strictly")
    func extensionsStrict() {
        let yaml =
            SampleRubric.yaml + "\n" + """
                schedule: { selfReportDay: 40, panelReviewDay: 15, objectionDays: 0, grace: 2 }
                requirements:
                  - { activity: memberMeeting, perYear: 0, rule: "1.4.b" }
                  - { activity: party, rule: "9.9.z" }
                  - { activity: visit, perYear: 2.5, rule: "1.5.a" }
                  - { activity: studySession, perWeek: 1, weekday: 8, eachGroup: yes, rule: "1.5.a" }
                  - { activity: talk, perMonth: 1, weekday: 3, rule: "1.5.a" }
                """
        #expect(
            problems(yaml) == [
                "bureau-branch.yaml:54:28: schedule: 'selfReportDay' must be a day of the month (1 to 31), got 40",
                "bureau-branch.yaml:54:67: schedule: 'objectionDays' must be at least 1, got 0",
                "bureau-branch.yaml:54:70: schedule: unknown key 'grace'",
                "bureau-branch.yaml:56:41: requirement 1 (memberMeeting): 'perYear' must be at least 1, got 0",
                "bureau-branch.yaml:56:50: requirement 1 (memberMeeting): rule '1.4.b' is a bonus rule, not a deduct rule",
                "bureau-branch.yaml:57:5: requirement 2 (party): give at least one of perYear, perHalfYear, perQuarter, perMonth, perWeek",
                "bureau-branch.yaml:57:17: requirement 2 (party): 'activity' must be memberMeeting|committeeMeeting|groupMeeting|partyLecture|studySession|democraticLife|branchActivity|infoReport|visit|talk|ideologyAnalysis|duesHandover, got 'party'",
                "bureau-branch.yaml:57:30: requirement 2 (party): unknown rule '9.9.z'",
                "bureau-branch.yaml:58:33: requirement 3 (visit): 'perYear' must be a whole number, got '2.5'",
                "bureau-branch.yaml:59:52: requirement 4 (studySession): 'weekday' must be a day of the week, 1 (Monday) to 7 (Sunday), got 8",
                "bureau-branch.yaml:59:66: requirement 4 (studySession): 'eachGroup' must be true or false, got 'yes'",
                "bureau-branch.yaml:60:45: requirement 5 (talk): 'weekday' names the day of a weekly requirement: give perWeek with it",
            ])
    }
}
