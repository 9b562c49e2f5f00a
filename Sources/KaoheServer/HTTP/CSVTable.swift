import CSV
import Foundation

/// CSV as Excel and WPS write it: UTF-8 (with or without BOM) or GBK/GB18030, comma-separated,
/// fields optionally quoted with "" for a quote inside, CRLF or LF line ends.
enum CSVTable {
    /// GB18030 (a superset of GBK), which Chinese Excel and WPS use when they do not write UTF-8.
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// The file's rows, blank rows left out; nil when it is neither UTF-8 nor GB18030 text.
    static func rows(_ data: Data) -> [[String]]? {
        decode(data).map(parse)
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
