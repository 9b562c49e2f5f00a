import Fluent
import KaoheCore
import Vapor

/// 党团园地: the published results of one period at one level, ranked by KaoheCore's `Standings`.
enum Results {
    struct Row: Content {
        struct Category: Content {
            let id: String
            let title: String
            let score: Decimal
            let max: Decimal
        }

        let unit: String
        let name: String
        let total: Decimal
        let bonus: Decimal
        let grade: String
        let gradeLabel: String
        let rank: Int
        let vetoed: Bool
        let categories: [Category]
    }

    /// The published sheets of `level`; nil before the period is published (branches) or before any sheet of a
    /// lower level was reported (备案).
    static func rows(of period: Period, level: Unit.Kind = .branch, on db: any Database) async throws -> [Row]? {
        if level == .branch, period.publishedOn == nil { return nil }
        let sheets = try await Assessment.query(on: db).filter(\.$period.$id == period.requireID())
            .filter(\.$level == level.rawValue).filter(\.$state == AssessmentState.published.rawValue)
            .with(\.$rubric).with(\.$entries).all()
        if level != .branch, sheets.isEmpty { return nil }
        let names = Dictionary(try await Unit.query(on: db).all().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        var rubrics: [UUID: Rubric] = [:]
        var scores: [UnitScore] = []
        for sheet in sheets {
            let id = try sheet.rubric.requireID()
            let rubric = try rubrics[id] ?? RubricStore.rubric(of: sheet.rubric)
            rubrics[id] = rubric
            scores.append(try Sheets.score(sheet, entries: sheet.entries, rubric: rubric))
        }
        let titles = Dictionary(rubrics.values.flatMap { $0.categories.map { ($0.id, $0.title) } }, uniquingKeysWith: { a, _ in a })
        return Standings.rank(scores).map { standing in
            let report = UnitReport(standing.score)
            return Row(unit: report.unit, name: names[report.unit] ?? report.unit, total: report.total, bonus: report.bonus,
                       grade: report.grade, gradeLabel: report.gradeLabel, rank: standing.rank, vetoed: report.vetoed,
                       categories: report.categories.map { Row.Category(id: $0.id, title: titles[$0.id] ?? $0.id, score: $0.score, max: $0.max) })
        }
    }

    /// The table people export: one row per unit, the six categories as columns.
    static func table(_ rows: [Row], period: Period) -> ExportTable {
        let categories = rows.first?.categories ?? []
        var header = ["名次", "组织代码", "组织名称", "考核总分", "等级", "加分（不计入总分）"]
        header += categories.map { "\($0.title)（\($0.max)）" }
        return ExportTable(
            sheetName: "\(period.code) 考核结果", header: header,
            rows: rows.map { row in
                [.number(Decimal(row.rank)), .text(row.unit), .text(row.name), .number(row.total),
                 .text(row.vetoed ? "\(row.gradeLabel)（取消评比资格）" : row.gradeLabel), .number(row.bonus)]
                    + row.categories.map { .number($0.score) }
            })
    }
}
