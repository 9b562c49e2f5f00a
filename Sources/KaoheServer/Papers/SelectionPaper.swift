import KaoheCore
import Vapor

/// The year's 评选结果 (办法 七(三)): the units the general branch awarded, level by level, as a 通报 after GB/T 9704.
enum SelectionPaper {
    static func document(
        _ awards: [CertificatesPage.Certificate], year: Int, decidedOn: CalendarDay, letterhead: Letterhead
    ) -> WordDocument {
        let titles = awards.reduce(into: [String]()) { if !$0.contains($1.title) { $0.append($1.title) } }
        let heading = "关于\(year)年度\(titles.joined(separator: "、"))评选结果的通报"
        var paper = WordDocument(title: heading)
        OfficialPaper.head(letterhead, year: year).forEach { paper.add($0) }
        paper.add(.title(heading))
        paper.add(
            .body(
                "根据《局党支部目标管理考核办法》，依据\(year)年度各季度目标管理考核结果，经党总支综合评定，评选出\(year)年度"
                    + "\(titles.joined(separator: "、"))。现将评选结果通报如下："))
        for (index, title) in titles.enumerated() {
            var heading = WordDocument.Paragraph(
                "\(["一", "二", "三", "四", "五"][min(index, 4)])、\(title)", font: .heading, firstLineChars: 2)
            heading.keepWithNext = true
            paper.add(heading)
            let names = awards.filter { $0.title == title }.map { award in
                award.belongsTo.map { "\(award.name)（\($0)）" } ?? award.name
            }
            paper.add(.body(names.joined(separator: "、")))
        }
        paper.add(.body("希望受表彰的党组织和党员珍惜荣誉、再接再厉，各党支部以先进为榜样，扎实做好党建各项工作。"))
        OfficialPaper.signature(letterhead, on: decidedOn).forEach { paper.add($0) }
        return paper
    }

    /// `GET /api/v1/years/:year/selection.docx` (and the page's link): signed in, once any level is decided.
    @Sendable static func download(req: Request) async throws -> Response {
        let (year, _) = try YearRequest.year(req)
        let awards = try await CertificatesPage.awards(year: year, on: req.db)
        guard !awards.isEmpty else { throw Abort(.notFound, reason: "\(year) 年尚未综合评定 (not decided yet)") }
        let decided = awards.compactMap { CalendarDay($0.decidedOn) }.max() ?? BureauCalendar.today()
        let paper = document(
            awards, year: year, decidedOn: decided, letterhead: try await Letterhead.current(on: req.db))
        return try OfficialPaper.download(paper, named: "\(year)年度评选结果")
    }
}
