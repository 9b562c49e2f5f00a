import KaoheCore
import Vapor

/// The parts every 公文 of Kaohe's shares (GB/T 9704): the 版头 with 发文机关标志, 发文字号 and the red rule, the
/// 落款 with the issuer and the 成文日期 a seal is pressed over, and the download's headers.
enum OfficialPaper {
    /// 发文机关标志 in red 方正小标宋, as large as the name fits on one line of the 156 mm text block.
    static func head(_ letterhead: Letterhead, year: Int, quarter: Int? = nil) -> [WordDocument.Paragraph] {
        let count = letterhead.issuer.count
        let size: WordDocument.Size = count <= 11 ? .小初 : count <= 15 ? .一号 : .二号
        var mark = WordDocument.Paragraph(letterhead.issuer, font: .title, size: size, alignment: .center)
        mark.runs = mark.runs.map {
            var run = $0; run.color = "FF0000"; return run
        }
        mark.linePitch = nil
        mark.spaceAfterLines = 1
        guard let number = letterhead.number(year: year, quarter: quarter) else {
            mark.redRuleBelow = true
            return [mark, .blank]
        }
        var line = WordDocument.Paragraph(number, alignment: .center)
        line.redRuleBelow = true
        return [mark, line, .blank]
    }

    /// 落款: room for the seal, the issuer, and the 成文日期 右空四字 (the seal presses on both, GB/T 9704 7.3.5.1).
    static func signature(_ letterhead: Letterhead, on day: CalendarDay) -> [WordDocument.Paragraph] {
        var issuer = WordDocument.Paragraph(letterhead.issuer, alignment: .right)
        issuer.rightChars = 2
        var date = WordDocument.Paragraph(day.written, alignment: .right)
        date.rightChars = 4
        return [.blank, .blank, issuer, date]
    }

    /// A 签字 line: `支部书记（签字）：＿＿＿＿＿＿　日期：＿＿年＿＿月＿＿日`.
    static func signatureLine(_ who: String) -> WordDocument.Paragraph {
        var line = WordDocument.Paragraph(
            "\(who)（签字）：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日", size: .四号, alignment: .left)
        line.spaceBeforeLines = 1
        return line
    }

    /// The .docx as a download with its Chinese name (`2026Q3考核结果公示.docx`).
    static func download(_ document: WordDocument, named name: String) throws -> Response {
        Download.file(try document.data(), filename: "\(name).docx", contentType: WordParts.contentType)
    }
}
