import Foundation
import Vapor

/// A file sent to be saved, never shown: evidence, an attached plan, an export. The name survives in both header
/// forms (an ASCII fallback and RFC 5987's UTF-8), and `nosniff` keeps a browser from running it.
enum Download {
    static func file(_ data: Data, filename: String, contentType: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: contentType)
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        let ascii = String(
            filename.unicodeScalars.filter { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 0x20 }.map(
                Character.init))
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value: "attachment; filename=\"\(ascii.isEmpty ? "file" : ascii)\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    /// A CSV written as its rows come: `rows` hands each batch to `emit`, so that a whole bureau's export never sits
    /// in memory. A failure midway ends the transfer short, which the browser reports as a failed download.
    static func csvStream(
        header: [String], title: String? = nil, named name: String,
        rows:
            @escaping @Sendable (_ emit: @escaping @Sendable ([[ExportCell]]) async throws -> Void) async throws -> Void
    ) -> Response {
        let response = file(Data(), filename: "\(name).csv", contentType: "text/csv; charset=utf-8")
        response.body = .init(managedAsyncStream: { writer in
            let head = (title.map { CSVExport.line([.text($0)]) } ?? "") + CSVExport.line(header.map(ExportCell.text))
            try await writer.writeBuffer(ByteBuffer(bytes: CSVExport.byteOrderMark + Array(head.utf8)))
            try await rows { batch in
                try await writer.writeBuffer(ByteBuffer(string: batch.map(CSVExport.line).joined()))
            }
        })
        return response
    }

    /// `2026Q3考核结果.csv`: for Excel and WPS (`CSVExport`).
    static func csv(_ table: ExportTable, named name: String) -> Response {
        file(CSVExport.data(table), filename: "\(name).csv", contentType: "text/csv; charset=utf-8")
    }

    /// `2026Q3考核结果.xlsx` (`XLSXWorkbook`).
    static func xlsx(_ table: ExportTable, named name: String) throws -> Response {
        file(
            try XLSXWorkbook.data(table), filename: "\(name).xlsx",
            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }
}
