import KaoheCore
import Vapor

/// 荣誉证书 (办法 七(三)) as Word: a landscape A4 page per award, the issuing organisation and the written date at
/// the foot, where the seal is pressed, clear of the citation; no page number.
enum CertificatePaper {
    static func document(_ certificates: [CertificatesPage.Certificate], year: Int, letterhead: Letterhead)
        -> WordDocument
    {
        var paper = WordDocument(title: "\(year)年度荣誉证书", orientation: .landscape, pageNumbers: false)
        for (index, certificate) in certificates.enumerated() {
            var title = WordDocument.Paragraph("荣誉证书", font: .title, size: .初号, alignment: .center)
            title.runs[0].color = "C00000"
            title.linePitch = nil
            title.spaceBeforeLines = 1
            title.spaceAfterLines = 2
            title.pageBreakBefore = index > 0
            paper.add(title)
            let recipient = certificate.belongsTo.map { "\($0) \(certificate.name)" } ?? certificate.name
            var name = WordDocument.Paragraph("\(recipient)：", size: .二号, alignment: .left)
            name.linePitch = nil
            name.spaceAfterLines = 1
            paper.add(name)
            for line in [
                "在\(year)年度党支部目标管理考核中成绩突出，经党总支综合评定，被评为“\(certificate.title)”。",
                "特发此证，以资鼓励。",
            ] {
                var citation = WordDocument.Paragraph(line, size: .二号, firstLineChars: 2)
                citation.linePitch = nil
                citation.spaceAfterLines = 1
                paper.add(citation)
            }
            let day = CalendarDay(certificate.decidedOn) ?? BureauCalendar.today()
            for (text, right) in [(letterhead.issuer, 2), (day.written, 4)] {
                var line = WordDocument.Paragraph(text, size: .三号, alignment: .right)
                line.rightChars = right
                line.linePitch = nil
                line.spaceBeforeLines = right == 2 ? 2 : 0
                paper.add(line)
            }
        }
        return paper
    }

    /// `GET /api/v1/years/:year/certificates/:unit.docx` (and the page's link): anyone signed in, for an awarded
    /// unit; 404 for any other.
    @Sendable static func download(req: Request) async throws -> Response {
        let (year, _) = try YearRequest.year(req)
        let asked = req.parameters.get("certificate") ?? req.parameters.get("unit") ?? ""
        guard asked.hasSuffix(".docx") else { throw Abort(.notFound) }
        let unit = String(asked.dropLast(".docx".count))
        let awards = try await CertificatesPage.awards(year: year, on: req.db).filter { $0.unit == unit }
        guard !awards.isEmpty else { throw Abort(.notFound, reason: "该单位 \(year) 年未获评先进 (no award)") }
        let paper = document(awards, year: year, letterhead: try await Letterhead.current(on: req.db))
        return try OfficialPaper.download(paper, named: "\(year)年度荣誉证书-\(awards[0].name)")
    }

    /// Every certificate of the year in one file, for the general branch.
    @Sendable static func downloadAll(req: Request) async throws -> Response {
        let (year, user) = try YearRequest.year(req)
        try await Policy.requireGeneralBranch(user, on: req.db, "荣誉证书由党总支打印")
        let awards = try await CertificatesPage.awards(year: year, on: req.db)
        guard !awards.isEmpty else { throw Abort(.notFound, reason: "\(year) 年尚未综合评定") }
        let paper = document(awards, year: year, letterhead: try await Letterhead.current(on: req.db))
        return try OfficialPaper.download(paper, named: "\(year)年度荣誉证书")
    }
}
