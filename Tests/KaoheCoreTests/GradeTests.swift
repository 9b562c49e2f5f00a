import Foundation
import Testing

@testable import KaoheCore

/// 等级: the first band whose min ≤ total, bands highest first; fractions fall in the band below.
@Suite("Grades")
struct GradeTests {
    @Test(
        "Band boundaries: ≥ 97 优秀, 90–96 合格, 86–89 基本合格, < 86 不合格",
        arguments: [
            ("100", "excellent"), ("97", "excellent"), ("96.99", "qualified"), ("96.5", "qualified"),
            ("90", "qualified"), ("89.99", "basic"), ("89.5", "basic"), ("86", "basic"),
            ("85.99", "unqualified"), ("85", "unqualified"), ("0", "unqualified"),
        ]
    )
    func bandBoundaries(total: String, grade: String) throws {
        #expect(try SampleRubric.rubric().grade(for: dec(total)).key == grade)
    }

    @Test("89.5 is 基本合格 when 合格 starts at 90")
    func eightyNinePointFiveIsBasic() throws {
        #expect(try SampleRubric.rubric().grade(for: dec("89.5")).label == "基本合格")
    }

    @Test("A sheet's grade follows its total")
    func sheetGrade() throws {
        let scorer = try SampleRubric.scorer()
        let sheet = UnitSheet(unit: "甲", entries: [Entry(rule: "1.4.a", points: dec("3.5")), Entry(rule: "2.1.c")])
        let score = try scorer.score(sheet)
        #expect(score.total == dec("86.5"))
        #expect(score.grade.key == "basic")
    }
}
