import CSV
import Foundation

/// CSV as Excel and WPS write it: UTF-8 (with or without BOM) or GBK/GB18030, comma-separated,
/// fields optionally quoted with "" for a quote inside, CRLF or LF line ends.
enum CSVTable {
    /// GB18030 (a superset of GBK), which Chinese Excel and WPS use when they do not write UTF-8.
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Why a file cannot be read, and from which row (1 for the file as a whole).
    struct Unreadable: Error {
        let row: Int
        let message: String
    }

    /// The file's rows, blank rows left out; refused when it is neither UTF-8 nor GB18030 text, or when it holds a
    /// control character (a NUL cut text on SQLite and broke the write on PostgreSQL): the one check every decoded
    /// text meets (`InputGuard.hasControlCharacter`), naming the row.
    static func rows(_ data: Data) -> Result<[[String]], Unreadable> {
        guard let text = decode(data) else {
            return .failure(
                Unreadable(row: 1, message: "文件既不是 UTF-8 也不是 GBK 编码的文本，请另存为 CSV 后再导入 (neither UTF-8 nor GBK)"))
        }
        if let bad = text.unicodeScalars.firstIndex(where: { InputGuard.hasControlCharacter(String($0)) }) {
            let row = text.unicodeScalars[..<bad].filter { $0 == "\n" }.count + 1
            return .failure(Unreadable(row: row, message: "第 \(row) 行含有控制字符，请删去后再导入 (control characters)"))
        }
        return .success(parse(text))
    }

    static func decode(_ data: Data) -> String? {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return String(data: bytes, encoding: .utf8) ?? String(data: bytes, encoding: gb18030)
    }

    /// The rows of the text, blank rows left out. Reading is CSV.swift's (RFC 4180, lenient about a stray quote the
    /// way Excel is); every importer reads through here, so the bureau's files are read one way.
    static func parse(_ text: String) -> [[String]] {
        guard let reader = try? CSVReader(string: text, hasHeaderRow: false, trimFields: false) else { return [] }
        return Array(AnyIterator { reader.next() })
            .filter { !$0.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
    }
}
