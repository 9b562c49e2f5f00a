import Foundation
import Testing
@testable import KaoheCore

/// The seed's rubrics in `rubrics/`: the regulation's own numbers (regulation-numbers.md).
@Suite("Seed rubrics")
struct SeedRubricTests {
    @Test("bureau-branch.yaml loads without problems")
    func bureauBranchLoads() throws {
        let problems = RubricLoader.problems(yaml: try SeedRubrics.text("bureau-branch.yaml"), file: "bureau-branch.yaml")
        #expect(problems.map(\.description) == [])
    }

    @Test("局党支部: 100 points in 6 categories and 31 items; category (一) is 12 points, items 2, 2, 2, 4, 2")
    func bureauBranchShape() throws {
        let rubric = try SeedRubrics.load("bureau-branch.yaml")
        #expect(rubric.level == .branch)
        #expect(rubric.maxScore == 100)
        #expect(rubric.categories.count == 6)
        #expect(rubric.items.count == 31)
        #expect(rubric.categories.map(\.points) == [12, 30, 16, 14, 16, 12])
        let first = try #require(rubric.categories.first { $0.id == "1" })
        #expect(first.points == 12)
        #expect(first.items.map(\.base) == [2, 2, 2, 4, 2])
    }

    @Test("Grade bands 97 / 90 / 86 / 0; a total of 96.5 is 合格, 89.5 基本合格")
    func bureauBranchGrades() throws {
        let rubric = try SeedRubrics.load("bureau-branch.yaml")
        #expect(rubric.grades.map(\.min) == [97, 90, 86, 0])
        #expect(rubric.grade(for: dec("96.5")).label == "合格")
        #expect(rubric.grade(for: dec("89.5")).label == "基本合格")
        #expect(rubric.grade(for: dec("85")).label == "不合格")
    }

    @Test("A total of 85 with a base bonus of 6000 costs the secretary 216.67")
    func bureauBranchPenalty() throws {
        let rubric = try SeedRubrics.load("bureau-branch.yaml")
        let policy = try #require(rubric.penalty)
        let grade = rubric.grade(for: 85).key
        #expect(policy.secretaryPenalty(total: 85, grade: grade, baseBonus: 6000).rounded(scale: 2) == dec("216.67"))
        #expect(policy.generalSecretaryShare == dec("0.6"))
        #expect(policy.deputySecretaryShare == dec("0.4"))
    }

    @Test("party-group.yaml and member.yaml load cleanly", arguments: ["party-group.yaml", "member.yaml"])
    func otherRubricsLoad(name: String) throws {
        let problems = RubricLoader.problems(yaml: try SeedRubrics.text(name), file: name)
        #expect(problems.map(\.description) == [])
    }
}
