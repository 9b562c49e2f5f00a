import KaoheCore
import Vapor

/// 扣奖明细表 for the finance office (办法 七(一)): each person whose bonus is cut, by name, with the base and the
/// formula; the general branch's share split between the 总支书记 and the 副书记 by name. Landscape, for the formula.
enum PenaltiesPaper {
    static func document(_ penalties: Penalties.Document, letterhead: Letterhead) -> WordDocument {
        let quarter = Quarter(code: penalties.period)
        let label = quarter?.label ?? penalties.period
        var paper = WordDocument(title: "\(label)党支部目标管理考核扣奖明细表", orientation: .landscape)
        var title = WordDocument.Paragraph.title("\(label)党支部目标管理考核扣奖明细表")
        title.spaceAfterLines = 0
        paper.add(title)
        var issuer = WordDocument.Paragraph("制表单位：\(letterhead.issuer)", size: .小四, alignment: .left)
        issuer.linePitch = nil
        paper.add(issuer)
        let money = { (value: Decimal) in PageFormat.points(value) }
        let cell = { (text: String) in WordDocument.Cell(text) }
        var rows: [[WordDocument.Cell]] = penalties.secretaries.enumerated().map { index, line in
            [
                cell("\(index + 1)"), WordDocument.Cell(line.name, alignment: .left), cell(line.person ?? "（未登记）"),
                cell(line.total.map(PageFormat.points) ?? "未公布"), cell(line.gradeLabel ?? "—"),
                cell(money(line.baseBonus)), WordDocument.Cell(line.formula ?? "不扣奖", size: .五号, alignment: .left),
                cell(money(line.penalty)),
            ]
        }
        let general = penalties.general
        rows.append([
            cell(""), WordDocument.Cell("党总支（\(general.branches) 个支部扣奖的平均数）", alignment: .left, span: 5),
            cell(""), cell(money(general.penalty)),
        ])
        for (office, share, person, amount) in [
            ("总支书记", general.generalSecretaryShare, general.generalSecretaryPerson, general.generalSecretary),
            ("副书记", general.deputySecretaryShare, general.deputySecretaryPerson, general.deputySecretary),
        ] {
            rows.append([
                cell(""), WordDocument.Cell("其中 \(office)（\(share * 100)%）", alignment: .left),
                cell(person ?? "（未登记）"), WordDocument.Cell("", span: 3), cell(""), cell(money(amount)),
            ])
        }
        paper.add(
            WordDocument.Table(
                widths: [600, 2400, 2400, 1000, 900, 1300, 2856, 1300],
                header: [
                    ["序号", "党支部", "支部书记", "考核总分", "等级", "基数奖金（元）", "扣奖计算", "扣奖（元）"].map {
                        WordDocument.Cell($0, bold: true)
                    }
                ],
                rows: rows))
        paper.add(OfficialPaper.signatureLine("制表人（组织委员）"))
        paper.add(OfficialPaper.signatureLine("审核人（总支书记）"))
        return paper
    }

    /// `GET …/periods/:period/penalties.docx`: the general branch's roles, once the quarter is published.
    @Sendable static func download(req: Request) async throws -> Response {
        let penalties = try await Penalties.publishedDocument(req)
        let paper = document(penalties, letterhead: try await Letterhead.current(on: req.db))
        return try OfficialPaper.download(paper, named: "\(penalties.period)扣奖明细表")
    }
}
