import Foundation
import KaoheCore

/// A result table as CSV that Excel and WPS open with the Chinese intact: UTF-8 with a BOM (without it
/// Excel on a Chinese Windows reads the file as GBK), CRLF line ends and RFC 4180 quoting.
enum CSVExport {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    static func data(_ table: ExportTable) -> Data {
        var text = table.title.map { line([.text($0)]) } ?? ""
        for row in [table.header.map(ExportCell.text)] + table.rows { text += line(row) }
        return Data(byteOrderMark) + Data(text.utf8)
    }

    /// One row, with its CRLF.
    static func line(_ row: [ExportCell]) -> String {
        row.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ cell: ExportCell) -> String {
        switch cell {
        case .text(let text): quoted(defused(text))
        case .number(let number) where !number.isNaN: "\(number)"  // Decimal: plain, locale-free
        case .date(let day): day.description  // 2026-10-20, which Excel and WPS read as a date
        case .number, .empty: ""
        }
    }

    /// A spreadsheet runs a cell starting with = + - @ (or tab / CR, which it skips first) as a formula;
    /// a leading `'` makes it plain text, so a branch name like `=HYPERLINK(...)` cannot act on the reader.
    /// The full-width forms a Chinese input method types (＝ ＋ － ＠) are treated the same, to be safe.
    static func defused(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r＝＋－＠".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    static func quoted(_ text: String) -> String {
        // By scalar: "\r\n" is one Character and would slip past a Character comparison with "\n".
        guard text.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
