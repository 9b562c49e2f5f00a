import Foundation
import ZIPFoundation

/// A Word document (Office Open XML, ECMA-376 transitional) as the office files it: what Word, WPS and LibreOffice
/// open. Only what Kaohe's papers need — paragraphs of runs, tables, page breaks, a footer's page number — written
/// straight as the parts' XML; `WordParts` holds the fixed parts.
///
/// Layout after GB/T 9704-2012 (党政机关公文格式): A4, 天头 37 mm, 订口 28 mm, a 156 × 225 mm text block; 标题 in
/// 2号 方正小标宋简体, 正文 in 3号 仿宋_GB2312 at 22 lines a page; each font names its stand-in (`altName`) for a
/// machine without it.
struct WordDocument: Sendable {
    enum Font: String, Sendable {
        /// 标题, 发文机关标志.
        case title = "方正小标宋简体"
        /// 正文.
        case body = "仿宋_GB2312"
        /// 一级标题.
        case heading = "黑体"
        /// 二级标题.
        case kai = "楷体_GB2312"

        /// What Word and WPS use when the font itself is not installed.
        var standIn: String {
            switch self {
            case .title: "宋体"
            case .body: "仿宋"
            case .heading: "SimHei"
            case .kai: "楷体"
            }
        }
    }

    /// Sizes by the Chinese names GB/T 9704 uses, in half-points as WordprocessingML counts them.
    enum Size: Int, Sendable {
        case 初号 = 84
        case 小初 = 72
        case 一号 = 52
        case 二号 = 44
        case 三号 = 32
        case 四号 = 28
        case 小四 = 24
        case 五号 = 21
    }

    struct Run: Sendable {
        var text: String
        var font: Font = .body
        var size: Size = .三号
        var bold = false
        /// `RRGGBB`: 发文机关标志 and the separator are red (GB/T 9704 7.2).
        var color: String?
        var underline = false
    }

    enum Alignment: String, Sendable {
        case left, center, right, both
    }

    struct Paragraph: Sendable {
        var runs: [Run]
        var alignment: Alignment = .both
        /// 首行缩进, in characters of the paragraph's size (正文: 2).
        var firstLineChars = 0
        /// 右空, in characters (成文日期 右空四字).
        var rightChars = 0
        var spaceBeforeLines = 0
        var spaceAfterLines = 0
        /// A red rule under the paragraph: 版头's 分隔线.
        var redRuleBelow = false
        /// Exact line pitch in twentieths of a point; nil for single spacing (tables, certificates).
        var linePitch: Int? = WordDocument.bodyLinePitch
        var keepWithNext = false
        var pageBreakBefore = false

        init(
            _ text: String, font: Font = .body, size: Size = .三号, bold: Bool = false, alignment: Alignment = .both,
            firstLineChars: Int = 0
        ) {
            runs = text.isEmpty ? [] : [Run(text: text, font: font, size: size, bold: bold)]
            self.alignment = alignment
            self.firstLineChars = firstLineChars
        }

        init(runs: [Run], alignment: Alignment = .both) {
            self.runs = runs
            self.alignment = alignment
        }

        /// 正文: 3号 仿宋, 首行缩进二字.
        static func body(_ text: String) -> Paragraph { Paragraph(text, firstLineChars: 2) }

        /// 标题: 2号 方正小标宋, centred, a blank line after.
        static func title(_ text: String) -> Paragraph {
            var title = Paragraph(text, font: .title, size: .二号, alignment: .center)
            title.linePitch = nil
            title.spaceAfterLines = 1
            return title
        }

        static let blank = Paragraph("")

        /// The size of the paragraph's first run, for indents counted in characters.
        var size: Size { runs.first?.size ?? .三号 }
    }

    struct Cell: Sendable {
        var paragraphs: [Paragraph]
        /// Columns this cell spans.
        var span = 1

        init(_ text: String, size: Size = .小四, bold: Bool = false, alignment: Alignment = .center, span: Int = 1) {
            // A line break in the text is a paragraph of its own, as Word keeps it.
            paragraphs = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                var paragraph = Paragraph(String(line), size: size, bold: bold, alignment: alignment)
                paragraph.linePitch = nil
                return paragraph
            }
            self.span = span
        }
    }

    struct Table: Sendable {
        /// Each column's width in twips; they add up to the text block's width or less.
        var widths: [Int]
        /// Rows repeated at the top of every page the table runs onto.
        var header: [[Cell]]
        var rows: [[Cell]]
    }

    enum Block: Sendable {
        case paragraph(Paragraph)
        case table(Table)
    }

    enum Orientation: Sendable {
        case portrait, landscape
    }

    /// The title Word shows in 属性 (docProps/core.xml).
    var title: String
    var blocks: [Block] = []
    var orientation: Orientation = .portrait
    /// 页码 "— 1 —" in 4号 宋体 at the foot of each page (GB/T 9704 7.5); a certificate has none.
    var pageNumbers = true

    init(title: String, orientation: Orientation = .portrait, pageNumbers: Bool = true) {
        self.title = title
        self.orientation = orientation
        self.pageNumbers = pageNumbers
    }

    mutating func add(_ paragraph: Paragraph) { blocks.append(.paragraph(paragraph)) }
    mutating func add(_ table: Table) { blocks.append(.table(table)) }

    // MARK: - Geometry (twips: 1 mm = 56.7 twips)

    static func twips(millimetres: Double) -> Int { Int((millimetres * 1440 / 25.4).rounded()) }

    /// 22 lines in 225 mm of 3号 text: 28.95 pt.
    static let bodyLinePitch = 579
    /// The text block's width: 156 mm portrait; 225 mm across a landscape page.
    var textWidth: Int {
        orientation == .portrait ? Self.twips(millimetres: 156) : Self.twips(millimetres: 225)
    }

    // MARK: - The package

    /// Every part, `[Content_Types].xml` first as the packaging convention has it.
    var parts: [(path: String, xml: String)] {
        var parts = WordParts.fixed(title: title, footer: pageNumbers)
        parts.append(("word/document.xml", documentXML))
        if pageNumbers { parts.append(("word/footer1.xml", WordParts.footer)) }
        return parts
    }

    /// The .docx's bytes: a ZIP of the parts, deflated.
    func data() throws -> Data {
        let archive = try Archive(accessMode: .create)
        for part in parts {
            let content = Data(part.xml.utf8)
            try archive.addEntry(
                with: part.path, type: .file, uncompressedSize: Int64(content.count),
                modificationDate: WordParts.partsDate, compressionMethod: .deflate
            ) { position, size in
                content.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw Archive.ArchiveError.unwritableArchive }
        return data
    }

    var documentXML: String {
        var body = ""
        for block in blocks {
            switch block {
            case .paragraph(let paragraph): body += Self.xml(paragraph)
            case .table(let table): body += Self.xml(table)
            }
        }
        // A table last in the body needs a paragraph after it (Word's rule).
        if case .table = blocks.last { body += Self.xml(Paragraph.blank) }
        return WordParts.declaration
            + #"<w:document xmlns:w="\#(WordParts.w)" xmlns:r="\#(WordParts.r)"><w:body>"#
            + body + sectionXML + "</w:body></w:document>"
    }

    private var sectionXML: String {
        let (width, height) = (11906, 16838)
        let footer = pageNumbers ? #"<w:footerReference w:type="default" r:id="rIdFooter"/>"# : ""
        switch orientation {
        case .portrait:
            return #"<w:sectPr>\#(footer)<w:pgSz w:w="\#(width)" w:h="\#(height)"/>"#
                + #"<w:pgMar w:top="\#(Self.twips(millimetres: 37))" w:right="\#(Self.twips(millimetres: 26))" "#
                + #"w:bottom="\#(Self.twips(millimetres: 35))" w:left="\#(Self.twips(millimetres: 28))" "#
                + #"w:header="851" w:footer="\#(Self.twips(millimetres: 28))" w:gutter="0"/>"#
                + #"<w:docGrid w:type="lines" w:linePitch="\#(Self.bodyLinePitch)"/></w:sectPr>"#
        case .landscape:
            let margin = Self.twips(millimetres: 36)
            return #"<w:sectPr>\#(footer)<w:pgSz w:w="\#(height)" w:h="\#(width)" w:orient="landscape"/>"#
                + #"<w:pgMar w:top="\#(margin)" w:right="\#(margin)" w:bottom="\#(margin)" w:left="\#(margin)" "#
                + #"w:header="851" w:footer="851" w:gutter="0"/></w:sectPr>"#
        }
    }

    static func xml(_ paragraph: Paragraph) -> String {
        var properties = ""
        if paragraph.keepWithNext { properties += "<w:keepNext/>" }
        if paragraph.pageBreakBefore { properties += "<w:pageBreakBefore/>" }
        if paragraph.redRuleBelow {
            properties += #"<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="4" w:color="FF0000"/></w:pBdr>"#
        }
        // Off the 22-line grid unless the paragraph keeps the body's pitch: a table's or a title's lines would
        // otherwise each take a whole grid line (LibreOffice and Word snap them).
        if paragraph.linePitch == nil { properties += #"<w:snapToGrid w:val="0"/>"# }
        let before = paragraph.spaceBeforeLines * 100, after = paragraph.spaceAfterLines * 100
        let line =
            paragraph.linePitch.map { #" w:line="\#($0)" w:lineRule="exact""# } ?? #" w:line="240" w:lineRule="auto""#
        properties += #"<w:spacing w:beforeLines="\#(before)" w:afterLines="\#(after)"\#(line)/>"#
        // One character of the paragraph's size is its size in points: half-points × 10 twips.
        let character = paragraph.size.rawValue * 10
        if paragraph.firstLineChars > 0 || paragraph.rightChars > 0 {
            properties +=
                #"<w:ind w:firstLine="\#(paragraph.firstLineChars * character)" w:right="\#(paragraph.rightChars * character)"/>"#
        }
        properties += #"<w:jc w:val="\#(paragraph.alignment.rawValue)"/>"#
        return "<w:p><w:pPr>\(properties)</w:pPr>" + paragraph.runs.map(xml).joined() + "</w:p>"
    }

    static func xml(_ run: Run) -> String {
        let font = run.font.rawValue
        var properties =
            #"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="\#(font)" w:cs="Times New Roman"/>"#
        if run.bold { properties += "<w:b/><w:bCs/>" }
        // In the schema's order (CT_RPr is a sequence): color, then sz and szCs, then u.
        if let color = run.color { properties += #"<w:color w:val="\#(color)"/>"# }
        properties += #"<w:sz w:val="\#(run.size.rawValue)"/><w:szCs w:val="\#(run.size.rawValue)"/>"#
        if run.underline { properties += #"<w:u w:val="single"/>"# }
        // Line breaks and tabs inside a run are elements of their own in WordprocessingML.
        let lines = run.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.split(separator: "\t", omittingEmptySubsequences: false).map {
                #"<w:t xml:space="preserve">\#(XLSXWorkbook.xmlEscaped(String($0)))</w:t>"#
            }.joined(separator: "<w:tab/>")
        }
        return "<w:r><w:rPr>\(properties)</w:rPr>" + lines.joined(separator: "<w:br/>") + "</w:r>"
    }

    static func xml(_ table: Table) -> String {
        let total = table.widths.reduce(0, +)
        var xml = #"<w:tbl><w:tblPr><w:tblW w:w="\#(total)" w:type="dxa"/><w:jc w:val="center"/>"#
        xml += "<w:tblBorders>"
        for edge in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            xml += #"<w:\#(edge) w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#
        }
        xml += #"</w:tblBorders><w:tblLayout w:type="fixed"/>"#
        xml += #"<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>"#
        xml += "</w:tblPr><w:tblGrid>"
        xml += table.widths.map { #"<w:gridCol w:w="\#($0)"/>"# }.joined() + "</w:tblGrid>"
        for row in table.header { xml += rowXML(row, widths: table.widths, header: true) }
        for row in table.rows { xml += rowXML(row, widths: table.widths, header: false) }
        return xml + "</w:tbl>"
    }

    private static func rowXML(_ cells: [Cell], widths: [Int], header: Bool) -> String {
        var xml = "<w:tr><w:trPr><w:cantSplit/>" + (header ? "<w:tblHeader/>" : "") + "</w:trPr>"
        var column = 0
        for cell in cells {
            let width = widths[column..<min(widths.count, column + cell.span)].reduce(0, +)
            column += cell.span
            xml += #"<w:tc><w:tcPr><w:tcW w:w="\#(width)" w:type="dxa"/>"#
            if cell.span > 1 { xml += #"<w:gridSpan w:val="\#(cell.span)"/>"# }
            xml += #"<w:vAlign w:val="center"/></w:tcPr>"#
            // A cell holds at least one paragraph (Word's rule).
            xml += (cell.paragraphs.isEmpty ? [Paragraph.blank] : cell.paragraphs).map(Self.xml).joined()
            xml += "</w:tc>"
        }
        return xml + "</w:tr>"
    }
}
