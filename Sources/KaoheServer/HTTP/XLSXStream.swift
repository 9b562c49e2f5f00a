import Foundation
import NIOCore
import Vapor
import ZIPFoundation

/// An .xlsx whose rows come in batches (the whole bureau's 台账对照): each batch is written to a spool file as it
/// comes, and the workbook is then sent from it, a chunk at a time — its memory is a batch's, whatever the bureau.
/// The sheet is the same XML `XLSXWorkbook` writes for the same table; the container is a plain ZIP of STORED
/// entries whose sizes and checksums are known before each is sent (the spool is read once to sum it).
enum XLSXStream {
    /// The rows written so far, and the columns' widest lines.
    final class Spool: @unchecked Sendable {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kaohe-xlsx-\(UUID().uuidString)")
        private let handle: FileHandle
        private(set) var rows = 0
        private(set) var widest: [Int] = []
        /// The title's and the header's rows, kept in view.
        let frozenRows: Int

        init(header: [String], title: String? = nil) throws {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw Abort(.internalServerError, reason: "导出文件无法创建 (no spool file)")
            }
            handle = try FileHandle(forWritingTo: url)
            frozenRows = title == nil ? 1 : 2
            if let title {
                // The title spans the columns as it reads; it does not set any column's width.
                try handle.write(contentsOf: Data(XLSXWorkbook.row([.text(title)], index: 0, style: .title).utf8))
                rows = 1
            }
            try append([header.map(ExportCell.text)], style: .header)
        }

        func append(_ batch: [[ExportCell]], style: XLSXWorkbook.RowStyle = .plain) throws {
            var xml = ""
            for row in batch {
                XLSXWorkbook.widen(&widest, by: row)
                xml += XLSXWorkbook.row(row, index: rows, style: style)
                rows += 1
            }
            try handle.write(contentsOf: Data(xml.utf8))
        }

        func close() throws { try handle.close() }
        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// `name.xlsx` of the rows `produce` hands to its `emit`, batch by batch.
    static func response(
        sheetName: String, header: [String], title: String? = nil, named name: String,
        rows produce:
            @escaping @Sendable (_ emit: @escaping @Sendable ([[ExportCell]]) async throws -> Void) async throws -> Void
    ) -> Response {
        let response = Download.file(Data(), filename: "\(name).xlsx", contentType: contentType)
        response.body = .init(managedAsyncStream: { writer in
            let spool = try Spool(header: header, title: title)
            defer { spool.remove() }
            try await produce { batch in try spool.append(batch) }
            try spool.close()
            try await write(spool, sheetName: sheetName) { try await writer.writeBuffer(ByteBuffer(data: $0)) }
        })
        return response
    }

    /// The workbook of `spool`, in the order a ZIP is read: each entry's header and bytes, then the directory.
    static func write(_ spool: Spool, sheetName: String, to send: (Data) async throws -> Void) async throws {
        var directory = Data()
        var offset: UInt32 = 0
        var count: UInt16 = 0
        func entry(_ path: String, size: UInt32, crc: UInt32) -> Data {
            let name = Data(path.utf8)
            var local = Data()
            local.append(le32(0x0403_4b50))
            local.append(contentsOf: header(size: size, crc: crc, nameLength: name.count))
            local.append(le16(0))  // no extra field
            local.append(name)
            var central = Data()
            central.append(le32(0x0201_4b50))
            central.append(le16(20))  // made by: 2.0
            central.append(contentsOf: header(size: size, crc: crc, nameLength: name.count))
            central.append(le16(0) + le16(0) + le16(0) + le16(0) + le32(0))  // extra, comment, disk, attributes
            central.append(le32(offset))
            central.append(name)
            directory.append(central)
            offset += UInt32(local.count) + size
            count += 1
            return local
        }
        for (path, xml) in XLSXWorkbook.parts(sheetName: sheetName) {
            let data = Data(xml.utf8)
            try await send(entry(path, size: UInt32(data.count), crc: data.crc32(checksum: 0)) + data)
        }
        let head = Data(
            XLSXWorkbook.worksheetHead(
                rows: spool.rows, widths: XLSXWorkbook.widths(spool.widest), frozenRows: spool.frozenRows
            ).utf8)
        let tail = Data(XLSXWorkbook.worksheetTail.utf8)
        var crc = head.crc32(checksum: 0)
        var size = head.count + tail.count
        try await chunks(of: spool.url) { chunk in
            crc = chunk.crc32(checksum: crc)
            size += chunk.count
        }
        crc = tail.crc32(checksum: crc)
        guard size < Int(UInt32.max) else { throw Abort(.payloadTooLarge, reason: "导出的表格超过 4 GB (too large)") }
        try await send(entry(XLSXWorkbook.sheetPath, size: UInt32(size), crc: crc) + head)
        try await chunks(of: spool.url) { try await send($0) }
        try await send(tail)
        var end = Data()
        end.append(le32(0x0605_4b50))
        end.append(le16(0) + le16(0) + le16(count) + le16(count))
        end.append(le32(UInt32(directory.count)) + le32(offset) + le16(0))
        try await send(directory + end)
    }

    /// The fields a local header and a directory entry share, from "version needed" to the name's length.
    private static func header(size: UInt32, crc: UInt32, nameLength: Int) -> Data {
        // Version 2.0, bit 11 (names are UTF-8), STORED, 2000-01-01 12:00 as MS-DOS time and date.
        le16(20) + le16(0x0800) + le16(0) + le16(0x6000) + le16(0x2821) + le32(crc) + le32(size) + le32(size)
            + le16(UInt16(nameLength))
    }

    /// The file 64 KB at a time.
    private static func chunks(of url: URL, _ body: (Data) async throws -> Void) async throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty { try await body(chunk) }
    }

    private static func le16(_ value: UInt16) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
    private static func le32(_ value: UInt32) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
}
