import Foundation
import Testing

@testable import KaoheCore

/// The scoring semantics, clause by clause (DESIGN.md, "Scoring semantics").
@Suite("Scoring: one unit's sheet")
struct ScoringTests {
    let scorer: Scorer

    init() throws { scorer = try SampleRubric.scorer() }

    func score(_ entries: [Entry], vetoes: [String] = [], baseBonus: Decimal = 0) throws -> UnitScore {
        try scorer.score(UnitSheet(unit: "机关第一支部", baseBonus: baseBonus, vetoes: vetoes, entries: entries))
    }

    func problems(_ entries: [Entry], vetoes: [String] = []) -> [String] {
        scorer.problems(in: UnitSheet(unit: "机关第一支部", vetoes: vetoes, entries: entries)).map(\.description)
    }

    @Test("基本分扣完为止: an item's deductions stop at zero, the excess is not carried to other items")
    func deductionsStopAtZero() throws {
        let score = try score([Entry(rule: "1.5.a", count: 9)])
        let item = try #require(score.item("1.5"))
        #expect(item.deducted == 9)
        #expect(item.score == 0)
        #expect(score.total == 94)
        #expect(score.category("1")?.score == 6)
    }

    @Test("Total is the sum of the item scores; deductions of one item add up")
    func totalIsTheSumOfItemScores() throws {
        let score = try score([
            Entry(rule: "1.1.a"), Entry(rule: "2.1.a", count: 2, points: dec("1.5")), Entry(rule: "2.1.c"),
        ])
        #expect(score.item("1.1")?.score == 0)
        #expect(score.item("2.1")?.deducted == 13)
        #expect(score.item("2.1")?.score == 75)
        #expect(score.total == 85)
        #expect(score.total == score.items.reduce(0) { $0 + $1.score })
        #expect(score.categories.map(\.max) == [12, 88])
    }

    @Test("加分部分不计入等级考核分: bonus is kept apart from total and grade")
    func bonusIsKeptApart() throws {
        let plain = try score([Entry(rule: "2.1.c")])
        let withBonus = try score([
            Entry(rule: "2.1.c"), Entry(rule: "1.4.b", points: 2, caseText: "获市直机关工委通报表扬"),
            Entry(rule: "2.1.b", count: 3, caseText: "三次获表扬"),
        ])
        #expect(withBonus.bonus == 5)
        #expect(withBonus.total == plain.total)
        #expect(withBonus.grade == plain.grade)
        #expect(withBonus.item("1.4")?.score == 4)
    }

    @Test("A range rule takes a chosen value inside its range, both ends included", arguments: ["3", "3.5", "4"])
    func rangeChoiceInside(points: String) throws {
        let score = try score([Entry(rule: "1.4.a", points: dec(points))])
        #expect(score.item("1.4")?.deducted == dec(points))
    }

    @Test("A value outside the range is refused", arguments: ["2.99", "4.01", "5", "0"])
    func rangeChoiceOutside(points: String) {
        #expect(
            problems([Entry(rule: "1.4.a", points: dec(points))]) == [
                "机关第一支部 entry 1 (rule 1.4.a): points \(dec(points)) outside [3, 4]"
            ])
    }

    @Test("A range rule needs its points; a fixed rule refuses them")
    func pointsRequiredForRangesRefusedForFixed() {
        #expect(
            problems([Entry(rule: "1.4.a"), Entry(rule: "1.1.a", points: 2)]) == [
                "机关第一支部 entry 1 (rule 1.4.a): points is required: choose a value in [3, 4]",
                "机关第一支部 entry 2 (rule 1.1.a): points is refused: the rule's points are fixed at 2",
            ])
    }

    @Test("unit: each multiplies by the count, and needs a count of at least 1")
    func eachNeedsCount() throws {
        #expect(try score([Entry(rule: "2.1.a", count: 3, points: dec("1.5"))]).item("2.1")?.deducted == dec("4.5"))
        #expect(
            problems([Entry(rule: "1.5.a"), Entry(rule: "1.5.a", count: 0)]) == [
                "机关第一支部 entry 1 (rule 1.5.a): count is required: the rule counts each occurrence",
                "机关第一支部 entry 2 (rule 1.5.a): count must be an integer ≥ 1, got 0",
            ])
    }

    @Test("unit: once refuses a count")
    func onceRefusesCount() {
        #expect(
            problems([Entry(rule: "1.1.a", count: 1)]) == [
                "机关第一支部 entry 1 (rule 1.1.a): count is refused: the rule applies once"
            ])
    }

    @Test("A bonus entry must carry a concrete case; an empty or blank one is refused")
    func bonusNeedsACase() throws {
        #expect(
            problems([Entry(rule: "1.4.b", points: 1), Entry(rule: "1.4.b", points: 1, caseText: " \n")]) == [
                "机关第一支部 entry 1 (rule 1.4.b): a bonus needs its concrete case (case)",
                "机关第一支部 entry 2 (rule 1.4.b): a bonus needs its concrete case (case)",
            ])
        #expect(try score([Entry(rule: "1.4.b", points: 1, caseText: "支部书记交流发言")]).bonus == 1)
    }

    @Test("自查发现并已纠正, reduced: the deduction × the rubric's reducedFactor (default 0.5)")
    func mitigationReduced() throws {
        let entry = Entry(rule: "2.1.a", count: 3, points: 1, selfFound: true, corrected: true, mitigation: .reduced)
        #expect(try score([entry]).item("2.1")?.deducted == dec("1.5"))

        var rubric = try SampleRubric.rubric()
        rubric.reducedFactor = dec("0.25")
        let sheet = UnitSheet(unit: "机关第一支部", entries: [entry])
        #expect(try Scorer(rubric: rubric).score(sheet).item("2.1")?.deducted == dec("0.75"))
    }

    @Test("自查发现并已纠正, waived: no deduction at all")
    func mitigationWaived() throws {
        let score = try score([Entry(rule: "2.1.c", selfFound: true, corrected: true, mitigation: .waived)])
        #expect(score.item("2.1")?.deducted == 0)
        #expect(score.total == 100)
    }

    @Test("Mitigation needs both selfFound and corrected", arguments: [(false, false), (true, false), (false, true)])
    func mitigationNeedsBothFlags(selfFound: Bool, corrected: Bool) {
        for mitigation in [Mitigation.reduced, .waived] {
            let entry = Entry(rule: "2.1.c", selfFound: selfFound, corrected: corrected, mitigation: mitigation)
            #expect(
                problems([entry]) == [
                    "机关第一支部 entry 1 (rule 2.1.c): mitigation '\(mitigation.rawValue)' needs selfFound and corrected"
                ])
        }
    }

    @Test("Mitigation is for deductions only")
    func mitigationRefusedOnBonus() {
        let entry = Entry(
            rule: "2.1.b", count: 1, caseText: "表扬", selfFound: true, corrected: true, mitigation: .waived)
        #expect(problems([entry]) == ["机关第一支部 entry 1 (rule 2.1.b): mitigation 'waived' applies only to deductions"])
    }

    @Test("Unknown rule and veto ids are errors")
    func unknownIds() {
        #expect(
            problems([Entry(rule: "9.9.z")], vetoes: ["V9"]) == [
                "机关第一支部: unknown veto 'V9'",
                "机关第一支部 entry 1 (rule 9.9.z): unknown rule '9.9.z'",
            ])
    }

    @Test("A veto marks the unit vetoed without touching its total")
    func vetoMarksTheUnit() throws {
        let score = try score([], vetoes: ["V1", "V1"])
        #expect(score.vetoed)
        #expect(score.vetoes == ["V1"])
        #expect(score.total == 100)
        #expect(try !self.score([]).vetoed)
    }

    @Test("Entries are numbered from 1, as in the contract: the third entry listed is 'entry 3'")
    func entryNumberingFollowsTheContract() {
        let entries = [
            Entry(rule: "1.1.a"), Entry(rule: "2.1.a", count: 3, points: 1), Entry(rule: "1.4.a", points: 5),
        ]
        #expect(problems(entries) == ["机关第一支部 entry 3 (rule 1.4.a): points 5 outside [3, 4]"])
    }

    @Test("All problems of all entries are reported at once, and nothing is scored")
    func allProblemsAtOnce() {
        let sheet = UnitSheet(
            unit: "机关第一支部", baseBonus: -1, vetoes: ["V7"],
            entries: [
                Entry(rule: "1.5.a"), Entry(rule: "1.4.a", count: 2), Entry(rule: "2.1.b", count: 1),
                Entry(rule: "x"), Entry(rule: "2.1.c", mitigation: .reduced),
            ])
        #expect(throws: EntryProblems.self) { try scorer.score(sheet) }
        let messages = scorer.problems(in: sheet).map(\.description)
        #expect(
            messages == [
                "机关第一支部: baseBonus must not be negative, got -1",
                "机关第一支部: unknown veto 'V7'",
                "机关第一支部 entry 1 (rule 1.5.a): count is required: the rule counts each occurrence",
                "机关第一支部 entry 2 (rule 1.4.a): count is refused: the rule applies once",
                "机关第一支部 entry 2 (rule 1.4.a): points is required: choose a value in [3, 4]",
                "机关第一支部 entry 3 (rule 2.1.b): a bonus needs its concrete case (case)",
                "机关第一支部 entry 4 (rule x): unknown rule 'x'",
                "机关第一支部 entry 5 (rule 2.1.c): mitigation 'reduced' needs selfFound and corrected",
            ])
    }

    @Test("Several sheets: every unit's problems at once, and a unit listed twice is refused")
    func severalSheets() {
        let sheets = [
            UnitSheet(unit: "甲", entries: [Entry(rule: "1.5.a")]),
            UnitSheet(unit: "乙", entries: [Entry(rule: "1.1.a", count: 2)]),
            UnitSheet(unit: "甲"),
        ]
        #expect(
            scorer.problems(in: sheets).map(\.description) == [
                "甲 entry 1 (rule 1.5.a): count is required: the rule counts each occurrence",
                "乙 entry 1 (rule 1.1.a): count is refused: the rule applies once",
                "甲: the unit is listed twice",
            ])
    }
}
