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
        /// 复核中: an upheld objection is re-reviewing it; the row is the result as published, rank and all,
        /// until the new result is published.
        let reviewing: Bool
        let categories: [Category]
    }

    /// The sheets of `level` as last published; nil before the period is published (branches) or before any sheet
    /// of a lower level was reported (备案). A sheet re-reviewed after an upheld objection keeps its published row.
    static func rows(of period: Period, level: Unit.Kind = .branch, on db: any Database) async throws -> [Row]? {
        if level == .branch, period.publishedOn == nil { return nil }
        let sheets = try await Assessment.query(on: db).filter(\.$period.$id == period.requireID())
            .filter(\.$level == level.rawValue).filter(\.$publishedOn != nil).with(\.$rubric).all()
        if level != .branch, sheets.isEmpty { return nil }
        let names = Dictionary(try await Unit.query(on: db).all().map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        var rubrics: [UUID: Rubric] = [:]
        var published: [(report: UnitReport, reviewing: Bool)] = []
        for sheet in sheets {
            let id = try sheet.rubric.requireID()
            rubrics[id] = try rubrics[id] ?? RubricStore.rubric(of: sheet.rubric)
            guard let report = try await Sheets.publishedReport(of: sheet, on: db) else { continue }
            published.append((report, sheet.state != AssessmentState.published.rawValue))
        }
        // 取消评比资格 comes from the vetoes in force now, not from the published snapshot: a veto recorded or
        // withdrawn after publication shows at once.
        let struck = try await Vetoes.struck(in: period.year, on: db)
        let titles = Dictionary(rubrics.values.flatMap { $0.categories.map { ($0.id, $0.title) } }, uniquingKeysWith: { a, _ in a })
        return Standings.ranked(published, total: \.report.total, unit: \.report.unit).map { rank, item in
            let report = item.report
            return Row(unit: report.unit, name: names[report.unit] ?? report.unit, total: report.total, bonus: report.bonus,
                       grade: report.grade, gradeLabel: report.gradeLabel, rank: rank, vetoed: struck[report.unit] != nil, reviewing: item.reviewing,
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
