import KaoheCore
import Vapor

/// The sheet as the unit files it: 自查表 while the unit holds it, 考核表 once reported; every item with its base,
/// the entries, the score and the panel's opinion, the overall 考核意见, the whole 流转记录 and the signature lines
/// of whoever reports, reviews and fixes it at the sheet's level.
enum SheetPaper {
    struct Facts {
        let unitName: String
        let document: SheetDocument
        let history: SheetHistory
    }

    /// Who signs a sheet of each level: the unit that reports it, then whoever reviews and fixes it (办法 四; a
    /// group's sheet is reviewed by its branch's secretary, a member's by the group leader).
    static func signatories(of level: Unit.Kind) -> [String] {
        switch level {
        case .branch, .general: ["支部书记", "考核小组组长", "总支书记"]
        case .group: ["党小组长", "支部书记"]
        case .member: ["党员本人", "党小组长"]
        }
    }

    static func document(_ facts: Facts) -> WordDocument {
        let (document, sheet, rubric) = (facts.document, facts.document.sheet, facts.document.rubric)
        let label = Quarter(code: document.period.code)?.label ?? document.period.code
        let kind = sheet.state == .draft ? "自查表" : "考核表"
        var paper = WordDocument(title: "\(facts.unitName)\(label)目标管理\(kind)")
        paper.add(.title("\(facts.unitName)\n\(label)目标管理\(kind)"))
        let score = document.score
        let small = { (text: String) in WordDocument.Cell(text, alignment: .left) }
        let bold = { (text: String) in WordDocument.Cell(text, bold: true) }
        paper.add(
            WordDocument.Table(
                widths: [1600, 2822, 1600, 2822], header: [],
                rows: [
                    [bold("被考核单位"), small(facts.unitName), bold("考核期"), small(label)],
                    [
                        bold("当前状态"), small(sheet.state.label), bold("自查得分"),
                        small(document.selfScore.map { PageFormat.points($0.total) } ?? "—"),
                    ],
                    [
                        bold("考核总分"), small(PageFormat.points(score.total)), bold("等级"),
                        small(score.gradeLabel + (score.vetoed ? "（一票否决）" : "")),
                    ],
                    [
                        bold("加分（另列）"), small(PageFormat.points(score.bonus)), bold("报送"),
                        small(sheet.late ? "逾期报送" : (sheet.submittedAt == nil ? "未报送" : "按期报送")),
                    ],
                ]))
        paper.add(.blank)
        let scorer = Scorer(rubric: rubric)
        let itemScores = Dictionary(score.items.map { ($0.id, $0.score) }, uniquingKeysWith: { a, _ in a })
        var rows: [[WordDocument.Cell]] = []
        for (index, category) in rubric.categories.enumerated() {
            let categoryScore = score.categories.first { $0.id == category.id }?.score ?? category.points
            rows.append([
                WordDocument.Cell(
                    "（\(numeral(index + 1))）\(category.title)（\(PageFormat.points(category.points)) 分，得 \(PageFormat.points(categoryScore)) 分）",
                    bold: true, alignment: .left, span: 6)
            ])
            for item in category.items {
                let rules = Set(item.rules.map(\.id))
                let lines = document.entries.filter { rules.contains($0.rule) && !$0.withdrawn }.map { entry in
                    let rule = rubric.rule(id: entry.rule)
                    let effect = rule.map { scorer.effectivePoints(of: Sheets.entry(entry), under: $0) } ?? 0
                    let sign = rule?.type == .bonus ? "+" : "−"
                    var line = "[\(entry.stage == .panel ? "考核" : "自查")] \(rule?.text ?? entry.rule)"
                    if let count = entry.count { line += "，\(count) 次" }
                    line += "，\(sign)\(PageFormat.points(effect)) 分"
                    for text in [entry.caseText, entry.note].compactMap({ $0 }) where !text.isEmpty {
                        line += "；\(text)"
                    }
                    return line
                }
                rows.append([
                    WordDocument.Cell(item.id, size: .五号), WordDocument.Cell(item.text, size: .五号, alignment: .left),
                    WordDocument.Cell(PageFormat.points(item.base), size: .五号),
                    WordDocument.Cell(lines.isEmpty ? "—" : lines.joined(separator: "\n"), size: .五号, alignment: .left),
                    WordDocument.Cell(PageFormat.points(itemScores[item.id] ?? item.base), size: .五号),
                    WordDocument.Cell(document.opinions[item.id] ?? "", size: .五号, alignment: .left),
                ])
            }
        }
        paper.add(
            WordDocument.Table(
                widths: [700, 2500, 700, 2844, 800, 1300],
                header: [["序号", "考核内容", "分值", "扣分、加分记录", "得分", "考核意见"].map(bold)], rows: rows))
        paper.add(.blank)
        var opinionHeading = WordDocument.Paragraph(sheet.level == .branch ? "考核小组考核意见" : "考核意见", font: .heading)
        opinionHeading.keepWithNext = true
        paper.add(opinionHeading)
        paper.add(.body(sheet.opinion.flatMap { $0.isEmpty ? nil : $0 } ?? "（尚未填写）"))
        if let objection = document.objection {
            paper.add(WordDocument.Paragraph("申诉", font: .heading))
            paper.add(.body("申诉理由：\(objection.reason)"))
        }
        var historyHeading = WordDocument.Paragraph("流转记录", font: .heading)
        historyHeading.keepWithNext = true
        paper.add(historyHeading)
        paper.add(
            WordDocument.Table(
                widths: [2200, 1900, 1900, 2844],
                header: [["时间", "经办人", "环节", "说明"].map(bold)],
                rows: facts.history.steps.map { step in
                    [
                        WordDocument.Cell(step.at, size: .五号), WordDocument.Cell(step.actor, size: .五号),
                        WordDocument.Cell(step.label + (step.late ? "（逾期）" : ""), size: .五号),
                        WordDocument.Cell(step.reason ?? "", size: .五号, alignment: .left),
                    ]
                }))
        for who in signatories(of: sheet.level) { paper.add(OfficialPaper.signatureLine(who)) }
        return paper
    }

    private static func numeral(_ number: Int) -> String {
        let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        return number <= 10 ? digits[number] : "十" + digits[number - 10]
    }

    /// `GET …/periods/:period/assessments/:unit/document.docx` (and the sheet page's link): the sheet's readers.
    @Sendable static func download(req: Request) async throws -> Response {
        let (period, sheet, parts) = try await SheetLookup.readableDocument(req)
        let document = try await SheetDocument.load(sheet, of: period, parts: parts, on: req.db)
        let name = try await Unit.names(of: [sheet.unitCode], on: req.db)[sheet.unitCode] ?? sheet.unitCode
        let history = try await SheetHistory.load(period: period.code, unit: sheet.unitCode, on: req.db)
        let paper = self.document(
            Facts(unitName: name, document: document, history: history))
        return try OfficialPaper.download(paper, named: "\(period.code)\(name)考核表")
    }
}
