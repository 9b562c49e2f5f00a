import Fluent
import KaoheCore
import Vapor

/// 考核结果公示: the period's published branch results after GB/T 9704, the same rows the printable notice shows.
enum ResultsNoticePaper {
    static func document(
        period: Period, rows: [Results.Row], objectionDeadline: CalendarDay?, letterhead: Letterhead
    ) -> WordDocument {
        let label = Quarter(code: period.code)?.label ?? period.code
        var paper = WordDocument(title: "关于\(label)党支部目标管理考核结果的公示")
        OfficialPaper.head(letterhead, year: period.year, quarter: period.quarter).forEach { paper.add($0) }
        paper.add(.title("关于\(label)党支部目标管理考核结果的公示"))
        paper.add(
            .body(
                "根据《局党支部目标管理考核办法》，经党总支考核小组考核、党总支审核确定，现将\(label)各党支部目标管理考核结果公示如下"
                    + "（考核总分不含加分，加分另列）："))
        let widths = [900, 3644, 1500, 1600, 1200]
        paper.add(
            WordDocument.Table(
                widths: widths,
                header: [["名次", "党支部", "考核总分", "等级", "加分"].map { WordDocument.Cell($0, bold: true) }],
                rows: rows.map { row in
                    [
                        .init("\(row.rank)"), .init(row.name, alignment: .left), .init(PageFormat.points(row.total)),
                        .init(row.gradeLabel + (row.vetoed ? "（取消评比资格）" : "")), .init(PageFormat.points(row.bonus)),
                    ]
                }))
        if let deadline = objectionDeadline {
            paper.add(.blank)
            paper.add(.body("公示期至\(deadline.written)。对考核结果有异议的党支部，请于公示期内向党总支组织委员提出申诉。"))
        }
        let day = period.publishedOn.flatMap(CalendarDay.init) ?? BureauCalendar.today()
        OfficialPaper.signature(letterhead, on: day).forEach { paper.add($0) }
        return paper
    }

    /// `GET …/periods/:period/results/notice.docx`: readers of the results, once the period is published.
    @Sendable static func download(req: Request) async throws -> Response {
        let period = try await SheetLookup.period(req)
        // The 公示 is of the branches (党团园地 is public to the bureau), and only once published.
        guard period.publishedOn != nil, let rows = try await Results.rows(of: period, on: req.db) else {
            throw Results.notPublished(period)
        }
        let rubric = try await RubricStore.rubric(id: period.$branchRubric.id, on: req.db)
        let deadline = period.publishedOn.flatMap(CalendarDay.init).map {
            rubric.schedule.objectionDeadline(publishedOn: $0)
        }
        let paper = document(
            period: period, rows: rows, objectionDeadline: deadline,
            letterhead: try await Letterhead.current(on: req.db))
        return try OfficialPaper.download(paper, named: "\(period.code)考核结果公示")
    }
}
