import Foundation
import KaoheCore
import ZIPFoundation

/// One cell of an exported table.
enum ExportCell: Sendable, Equatable {
    case text(String)
    case number(Decimal)
    /// A day, which Excel and WPS sort and filter as a date (not text).
    case date(CalendarDay)
    case empty
}

/// A table to export: the `title` row (what, which unit and quarter, when published), then `header`, then the rows.
struct ExportTable: Sendable {
    var sheetName: String
    var header: [String]
    var rows: [[ExportCell]]
    /// `2026年第三季度党支部目标管理考核结果（2026-10-20 公布）`: one line above the header, as the office titles a
    /// sheet it files.
    var title: String? = nil
}

/// A one-sheet .xlsx (SpreadsheetML), so result tables open in Excel, WPS and LibreOffice without a spreadsheet
/// library: the parts are written here, the zip container by ZIPFoundation. Strings are inline (`t="inlineStr"`):
/// no sharedStrings part. The output is deterministic: the same table gives the same bytes.
enum XLSXWorkbook {
    /// Every part's timestamp: a fixed day, so that two exports of one table are byte for byte the same.
    private static let partsDate = Date(timeIntervalSince1970: 946_728_000)  // 2000-01-01 12:00 UTC

    static func data(_ table: ExportTable) throws -> Data {
        // Entries are STORED (uncompressed): a table of a few hundred rows stays small, and a reader needs no inflate.
        let archive = try Archive(accessMode: .create)
        for (path, xml) in parts(table) {
            let content = Data(xml.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(content.count), modificationDate: partsDate,
                compressionMethod: .none
            ) { position, size in
                content.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw Archive.ArchiveError.unwritableArchive }
        return data
    }

    /// The package parts, `[Content_Types].xml` first as the OPC convention expects.
    static func parts(_ table: ExportTable) -> [(String, String)] {
        parts(sheetName: table.sheetName) + [(sheetPath, worksheet(table))]
    }

    /// Every part but the sheet itself, which comes last.
    static func parts(sheetName raw: String) -> [(String, String)] {
        let name = sheetName(raw)
        return [
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", packageRels),
            ("docProps/app.xml", appProps),
            ("docProps/core.xml", coreProps(title: name)),
            ("xl/workbook.xml", workbook(sheetName: name)),
            ("xl/_rels/workbook.xml.rels", workbookRels),
            ("xl/styles.xml", styles),
        ]
    }

    static let sheetPath = "xl/worksheets/sheet1.xml"

    // MARK: Sheet

    /// Style indexes in `styles` cellXfs.
    enum RowStyle: Int {
        case plain = 0, header = 1, title = 2
    }
    static let dateStyle = 3

    static func worksheet(_ table: ExportTable) -> String {
        let headerRow = table.header.map(ExportCell.text)
        let allRows = [headerRow] + table.rows
        let columnCount = allRows.map(\.count).max() ?? 0
        let titled = table.title != nil
        var xml = worksheetHead(
            rows: allRows.count + (titled ? 1 : 0), widths: columnWidths(allRows, columnCount: columnCount),
            frozenRows: titled ? 2 : 1)
        if let title = table.title { xml += row([.text(title)], index: 0, style: .title) }
        let first = titled ? 1 : 0
        for (rowIndex, row) in allRows.enumerated() {
            xml += self.row(row, index: first + rowIndex, style: rowIndex == 0 ? .header : .plain)
        }
        return xml + worksheetTail
    }

    /// The sheet up to its first row: its size and its columns' widths (`columnWidths`), which must be known first;
    /// the title and header rows stay in view while scrolling.
    static func worksheetHead(rows: Int, widths: [Int], frozenRows: Int = 1) -> String {
        let columnCount = widths.count
        let lastRef = columnCount == 0 ? "A1" : "\(columnLetters(columnCount))\(rows)"
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        xml += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
        xml += #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        xml += #"<dimension ref="A1:\#(lastRef)"/>"#
        // The header stays in view while scrolling a long list of branches.
        let top = "A\(frozenRows + 1)"
        xml += #"<sheetViews><sheetView tabSelected="1" workbookViewId="0">"#
        xml += #"<pane ySplit="\#(frozenRows)" topLeftCell="\#(top)" activePane="bottomLeft" state="frozen"/>"#
        xml += #"<selection pane="bottomLeft" activeCell="\#(top)" sqref="\#(top)"/></sheetView></sheetViews>"#
        xml += #"<sheetFormatPr defaultRowHeight="15"/>"#
        if columnCount > 0 {
            xml += "<cols>"
            for (index, width) in widths.enumerated() {
                xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        return xml + "<sheetData>"
    }

    /// Row `index` (from 0), in its style.
    static func row(_ row: [ExportCell], index rowIndex: Int, style: RowStyle) -> String {
        var xml = #"<row r="\#(rowIndex + 1)">"#
        for (columnIndex, cell) in row.enumerated() {
            xml += self.cell(cell, ref: "\(columnLetters(columnIndex + 1))\(rowIndex + 1)", style: style.rawValue)
        }
        return xml + "</row>"
    }

    static let worksheetTail =
        "</sheetData>"
        + #"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#
        + "</worksheet>"

    static func cell(_ cell: ExportCell, ref: String, style: Int) -> String {
        let s = style == RowStyle.plain.rawValue ? "" : #" s="\#(style)""#
        switch cell {
        case .text(let text):
            return
                #"<c r="\#(ref)"\#(s) t="inlineStr"><is><t xml:space="preserve">\#(xmlEscaped(excelEscaped(text)))</t></is></c>"#
        case .number(let number) where !number.isNaN:
            // Decimal's description is locale-free and never exponential: exactly what <v> wants.
            return #"<c r="\#(ref)"\#(s)><v>\#(number)</v></c>"#
        case .date(let day):
            // A date is a number of days since 1899-12-30 in a date format (`dateStyle`: yyyy-mm-dd).
            return #"<c r="\#(ref)" s="\#(dateStyle)"><v>\#(serial(of: day))</v></c>"#
        case .number, .empty:
            return ""  // an absent <c> is an empty cell; NaN has no spreadsheet value
        }
    }

    /// The spreadsheet's day number: 1900 date system, counted from 1899-12-30 as Excel, WPS and LibreOffice do.
    static func serial(of day: CalendarDay) -> Int {
        let epoch = CalendarDay(year: 1899, month: 12, day: 30)!
        return epoch.days(until: day)
    }

    /// 1 → A, 26 → Z, 27 → AA, 702 → ZZ, 703 → AAA (bijective base 26).
    static func columnLetters(_ column: Int) -> String {
        precondition(column >= 1, "columns count from 1")
        var n = column
        var letters: [Character] = []
        while n > 0 {
            n -= 1
            letters.append(Character(UnicodeScalar(UInt8(65 + n % 26))))
            n /= 26
        }
        return String(letters.reversed())
    }

    /// Widths in Excel character units from the widest line in each column, a CJK character counting as 2,
    /// kept between 8 and 60 so a long remark does not push the scores off screen.
    static func columnWidths(_ rows: [[ExportCell]], columnCount: Int) -> [Int] {
        var widest = Array(repeating: 0, count: columnCount)
        for row in rows { widen(&widest, by: row) }
        return widths(widest)
    }

    /// Each column's widest line so far, `row` counted (a row written as it comes).
    static func widen(_ widest: inout [Int], by row: [ExportCell]) {
        if widest.count < row.count { widest += Array(repeating: 0, count: row.count - widest.count) }
        for (index, cell) in row.enumerated() {
            let shown: String
            switch cell {
            case .text(let text): shown = text
            case .number(let number): shown = "\(number)"
            case .date: shown = "2026-01-01"
            case .empty: shown = ""
            }
            widest[index] = max(widest[index], shown.split(whereSeparator: \.isNewline).map(displayWidth).max() ?? 0)
        }
    }

    /// The widths of the widest lines, as the sheet sets them.
    static func widths(_ widest: [Int]) -> [Int] { widest.map { min(max($0 + 2, 8), 60) } }

    static func displayWidth<S: StringProtocol>(_ text: S) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (isWide($1) ? 2 : 1) }
    }

    /// East Asian wide and fullwidth ranges: CJK ideographs, kana, hangul, fullwidth punctuation.
    private static func isWide(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
            0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
            0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    // MARK: Text

    /// Excel's rules for a sheet name: 1–31 characters, none of `[]:*?/\`, not starting or ending with `'`.
    static func sheetName(_ raw: String) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var cleaned = String(xmlLegal(raw).map { forbidden.contains($0) || $0.isNewline ? "-" : $0 })
        cleaned = cleaned.trimmingCharacters(in: CharacterSet(charactersIn: "'").union(.whitespaces))
        // Excel counts UTF-16 units; cut on a character boundary so no surrogate pair is split.
        var short = ""
        for character in cleaned {
            if short.utf16.count + character.utf16.count > 31 { break }
            short.append(character)
        }
        return short.isEmpty ? "Sheet1" : short
    }

    /// Drops what XML 1.0 cannot carry at all: C0 controls other than tab, LF and CR, and U+FFFE/U+FFFF.
    static func xmlLegal(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(
            contentsOf: text.unicodeScalars.filter { scalar in
                switch scalar.value {
                case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
                default: false
                }
            })
        return String(scalars)
    }

    /// Escapes for element text and attribute values alike. CR is written as a reference because a parser
    /// would otherwise normalize it to LF.
    static func xmlEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in xmlLegal(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Excel reads `_xHHHH_` in cell text as an escaped character; a literal one must have its `_`
    /// written as `_x005F_` so that what was typed is what is shown.
    static func excelEscaped(_ text: String) -> String {
        guard text.contains("_x") else { return text }
        let chars = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(chars.count)
        for (i, byte) in chars.enumerated() {
            if byte == UInt8(ascii: "_"), i + 6 < chars.count, chars[i + 1] == UInt8(ascii: "x"),
                chars[(i + 2)...(i + 5)].allSatisfy(isHexDigit), chars[i + 6] == UInt8(ascii: "_")
            {
                out.append(contentsOf: "_x005F_".utf8)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default: false
        }
    }

    // MARK: Fixed parts

    static let contentTypes = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\#
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\#
        <Default Extension="xml" ContentType="application/xml"/>\#
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\#
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\#
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\#
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\#
        <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\#
        </Types>
        """#

    static let packageRels = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\#
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\#
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\#
        </Relationships>
        """#

    static let workbookRels = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\#
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\#
        </Relationships>
        """#

    static func workbook(sheetName: String) -> String {
        #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \#
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\#
        <bookViews><workbookView/></bookViews>\#
        <sheets><sheet name="\#(xmlEscaped(sheetName))" sheetId="1" r:id="rId1"/></sheets>\#
        </workbook>
        """#
    }

    /// Font 1 bold, fill 2 light grey, border 1 thin bottom: the header. Fills 0 and 1 are the two Excel requires.
    static let styles = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\#
        <numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/></numFmts>\#
        <fonts count="3">\#
        <font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\#
        <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\#
        <font><b/><sz val="14"/><name val="Calibri"/><family val="2"/></font>\#
        </fonts>\#
        <fills count="3">\#
        <fill><patternFill patternType="none"/></fill>\#
        <fill><patternFill patternType="gray125"/></fill>\#
        <fill><patternFill patternType="solid"><fgColor rgb="FFEDEDED"/><bgColor indexed="64"/></patternFill></fill>\#
        </fills>\#
        <borders count="2">\#
        <border><left/><right/><top/><bottom/><diagonal/></border>\#
        <border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>\#
        </borders>\#
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\#
        <cellXfs count="4">\#
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\#
        <xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">\#
        <alignment horizontal="center" vertical="center" wrapText="1"/></xf>\#
        <xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>\#
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\#
        </cellXfs>\#
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\#
        </styleSheet>
        """#

    static let appProps = #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\#
        <Application>Kaohe</Application></Properties>
        """#

    /// No dates, so the bytes do not change from one export to the next.
    static func coreProps(title: String) -> String {
        #"""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \#
        xmlns:dc="http://purl.org/dc/elements/1.1/">\#
        <dc:title>\#(xmlEscaped(title))</dc:title><dc:creator>Kaohe</dc:creator></cp:coreProperties>
        """#
    }
}
