import Foundation
import Testing

@testable import KaoheCore

/// The seed's rubrics in `rubrics/`: the regulation's own numbers (regulation-numbers.md).
@Suite("Seed rubrics")
struct SeedRubricTests {
    @Test("bureau-branch.yaml loads without problems")
    func bureauBranchLoads() throws {
        let problems = RubricLoader.problems(
            yaml: try SeedRubrics.text("bureau-branch.yaml"), file: "bureau-branch.yaml")
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

/// The shipped rubrics' defaults keep the 细则's logic: an item's base is what its deductions can take away, and
/// the numbers its texts quote are the rubric's own.
@Suite("Seed rubrics keep the 细则's logic")
struct SeedRubricLogicTests {
    static let shipped = ["bureau-branch.yaml", "party-group.yaml", "member.yaml"]

    @Test(
        "Every item's base can be used up by its deductions, rules that exclude each other counted once",
        arguments: shipped)
    func everyBaseCanBeReached(name: String) throws {
        let rubric = try SeedRubrics.load(name)
        for item in rubric.items {
            #expect(
                item.mostDeducted >= item.base,
                "\(name) item \(item.id): base \(item.base), deductions at most \(item.mostDeducted)")
        }
    }

    @Test("A graver rule of an item never costs less than a lighter one", arguments: shipped)
    func graverRulesNeverCostLess(name: String) throws {
        let rubric = try SeedRubrics.load(name)
        for item in rubric.items {
            for rule in item.rules {
                for lighter in rule.graverThan {
                    let other = try #require(item.rules.first { $0.id == lighter })
                    #expect(rule.points.least >= other.points.most, "\(name) \(rule.id) graver than \(lighter)")
                }
            }
        }
    }

    /// The cases the defaults once got wrong, each now declared so that the loader keeps it right.
    @Test("细则 2.4, 3.4 and 5.2: not doing costs more than doing badly, and the gravest case most")
    func theGraverCasesAreDeclared() throws {
        let rubric = try SeedRubrics.load("bureau-branch.yaml")
        for (graver, lighter) in [("2.4.a", "2.4.b"), ("3.4.b", "3.4.c"), ("5.2.c", "5.2.a"), ("1.4.a", "1.4.b")] {
            #expect(rubric.rule(id: graver)?.graverThan.contains(lighter) == true, "\(graver) over \(lighter)")
        }
        #expect(rubric.excluded(by: "2.4.b") == ["2.4.a"] && rubric.excluded(by: "3.4.c") == ["3.4.b"])
        #expect(try #require(rubric.items.first { $0.id == "2.4" }).mostDeducted == 2, "not assessing takes the base")
        // 民主生活会 is charged to the rule that names it, and the half-year count can deduct beyond the quarters'.
        let democratic = try #require(rubric.requirements.first { $0.activity == .democraticLife })
        #expect(democratic.rule == "2.1.c" && rubric.rule(id: "2.1.c")?.text.contains("民主生活会") == true)
        let activities = try #require(rubric.requirements.first { $0.activity == .branchActivity })
        #expect(try #require(activities.perHalfYear) > 2 * (try #require(activities.perQuarter)))
    }

    @Test("Item texts quote the rubric's own numbers, and follow them when they change")
    func textsFollowTheirNumbers() throws {
        let yaml = try SeedRubrics.text("bureau-branch.yaml")
        let rubric = try RubricLoader.load(yaml: yaml, file: "bureau-branch.yaml")
        #expect(rubric.items.first { $0.id == "2.1" }?.text.contains("党员大会全年不少于4次、支委会全年不少于12次") == true)
        #expect(rubric.items.first { $0.id == "2.4" }?.text.contains("10日前") == true)
        #expect(rubric.items.first { $0.id == "2.8" }?.text.contains("每月15日前") == true)
        #expect(rubric.rule(id: "5.3.b")?.text == "党员测评基本满意率达不到90%的")
        let edited = yaml.replacingOccurrences(of: "memberMeeting, perYear: 4", with: "memberMeeting, perYear: 6")
            .replacingOccurrences(of: "selfReportDay: 10", with: "selfReportDay: 8")
            .replacingOccurrences(of: "satisfaction: 90", with: "satisfaction: 85")
        let changed = try RubricLoader.load(yaml: edited, file: "edited.yaml")
        #expect(changed.items.first { $0.id == "2.1" }?.text.contains("党员大会全年不少于6次") == true)
        #expect(changed.items.first { $0.id == "2.4" }?.text.contains("8日前") == true)
        #expect(changed.rule(id: "5.3.b")?.text == "党员测评基本满意率达不到85%的")
        for item in rubric.items { #expect(!item.text.contains("{"), "\(item.id)") }
    }

    @Test("A text that names a number the rubric does not define is refused")
    func anUnknownNameIsAProblem() throws {
        let yaml = try SeedRubrics.text("bureau-branch.yaml")
            .replacingOccurrences(of: "{schedule.selfReportDay}日前", with: "{schedule.nope}日前")
        let problems = RubricLoader.problems(yaml: yaml, file: "x.yaml").map(\.description)
        #expect(problems.contains { $0.contains("item 2.4") && $0.contains("{schedule.nope}") })
    }
}
