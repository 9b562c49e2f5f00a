import Foundation
import Testing

@testable import KaoheCore

/// 年终评比: yearly average, self, peer and panel combined with the rubric's weights.
@Suite("Yearly selection")
struct AnnualSelectionTests {
    let selection: AnnualSelection

    init() throws { selection = AnnualSelection(rubric: try SampleRubric.rubric()) }

    func year(
        _ unit: String, quarters: [Decimal] = [96, 97, 95, 98], bonus: Decimal = 0, selfRating: Decimal = 90,
        peer: [String: Decimal] = ["他人": 85], panel: Decimal = 88, vetoed: Bool = false
    ) -> UnitYear {
        UnitYear(
            unit: unit, quarters: quarters, bonus: bonus, selfRating: selfRating, peerRatings: peer, panel: panel,
            vetoed: vetoed)
    }

    @Test("composite = 0.6 × yearly / maxScore × 100 + 0.1 × self + 0.15 × peer + 0.15 × panel")
    func composite() throws {
        let standing = try #require(try selection.rank([year("甲", peer: ["乙": 80, "丙": 90])]).first)
        #expect(standing.yearly == dec("96.5"))
        #expect(standing.peer == 85)
        #expect(standing.composite == dec("92.85"))
    }

    @Test("The quarterly average is put on 100 first when maxScore is not 100")
    func yearlyOnAHundred() throws {
        let tiny = AnnualSelection(rubric: try Fixture.tinyRubric())  // maxScore 10
        let standing = try #require(
            try tiny.rank([year("甲", quarters: [9, 9, 9, 9], selfRating: 90, peer: ["乙": 90], panel: 90)]).first)
        #expect(standing.yearly == 9)
        #expect(standing.composite == 90)
    }

    @Test("A unit's rating of itself is left out of the peer mean")
    func peerExcludesSelf() throws {
        let standing = try #require(try selection.rank([year("甲", peer: ["甲": 100, "乙": 80, "丙": 90])]).first)
        #expect(standing.peer == 85)
    }

    @Test("Highest composite first; ties go to the higher bonus, then to the unit name")
    func tiesByBonusThenName() throws {
        let standings = try selection.rank([
            year("丙", bonus: 1), year("乙", bonus: 3), year("甲", bonus: 1), year("丁", panel: 100),
        ])
        // 丙 and 甲 tie on composite and bonus: 丙 (U+4E19) comes before 甲 (U+7532) in Unicode order.
        #expect(standings.map(\.unit) == ["丁", "乙", "丙", "甲"])
        #expect(standings.map(\.rank) == [1, 2, 3, 4])
        #expect(standings.map(\.proposed) == [true, false, false, false])
    }

    @Test("Vetoed units rank after all others and are never proposed, however high their composite")
    func vetoedNeverProposed() throws {
        let standings = try selection.rank([
            year("甲", panel: 100, vetoed: true), year("乙", panel: 60), year("丙", panel: 70),
        ])
        #expect(standings.map(\.unit) == ["丙", "乙", "甲"])
        #expect(standings.map(\.proposed) == [true, false, false])
        #expect(standings.last?.vetoed == true)

        let allVetoed = try selection.rank([year("甲", vetoed: true), year("乙", vetoed: true)])
        #expect(allVetoed.allSatisfy { !$0.proposed })
    }

    @Test("The first awards.max non-vetoed units are proposed")
    func awardsMax() throws {
        var rubric = try SampleRubric.rubric()
        rubric.annual.awards = AwardCount(min: 2, max: 3)
        let standings = try AnnualSelection(rubric: rubric).rank([
            year("甲", panel: 99, vetoed: true), year("乙", panel: 90), year("丙", panel: 80), year("丁", panel: 70),
            year("戊", panel: 60),
        ])
        #expect(standings.filter(\.proposed).map(\.unit) == ["乙", "丙", "丁"])
    }

    @Test("优秀党员 within their group: awards.max proposed in each circle, the whole level ranked together")
    func awardsWithinACircle() throws {
        var rubric = try SampleRubric.rubric()
        rubric.annual.awards = AwardCount(min: 1, max: 1, within: .group)
        let circles = ["甲": "一组", "乙": "一组", "丙": "二组", "丁": "二组", "戊": "二组"]
        let standings = try AnnualSelection(rubric: rubric).rank(
            [
                year("甲", panel: 99), year("乙", panel: 98), year("丙", panel: 60, vetoed: true),
                year("丁", panel: 70), year("戊", panel: 65),
            ], circles: circles)
        #expect(standings.map(\.unit) == ["甲", "乙", "丁", "戊", "丙"], "one ranking")
        #expect(standings.filter(\.proposed).map(\.unit) == ["甲", "丁"], "the first of each group not vetoed")
    }

    @Test("All four quarters are required; totals, ratings and bonus are checked, all at once")
    func problemsAtOnce() {
        let problems = selection.problems(in: [
            year("甲", quarters: [96, 97, 95]),
            year("乙", quarters: [96, 97, 95, 101], selfRating: -1, peer: ["乙": 100, "丙": 120], panel: 100),
            year("丙", bonus: -1, peer: ["丙": 90]),
            year("甲"),
        ]).map(\.description)
        #expect(
            problems == [
                "甲: quarters must hold the four quarterly totals, got 3",
                "乙: quarter 4: total 101 outside [0, 100]",
                "乙: self rating -1 outside [0, 100]",
                "乙: peer '丙' rating 120 outside [0, 100]",
                "丙: bonus must not be negative, got -1",
                "丙: peer needs at least one rating from another unit",
                "甲: the unit is listed twice",
            ])
        #expect(throws: EntryProblems.self) { try selection.rank([year("甲", quarters: [])]) }
    }
}
