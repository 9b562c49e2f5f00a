import Foundation
import KaoheCore
import Testing

@testable import KaoheServer

/// The result-table exports, byte for byte: no database, no app.
@Suite struct ExportTests {
    static let table = ExportTable(
        sheetName: "2025Q3 考核结果",
        header: ["单位", "得分", "等次", "备注 <说明> & \"引号\""],
        rows: [
            [.text("第一党支部"), .number(Decimal(string: "97.5")!), .text("优秀"), .text("按时, \"足额\"\n完成")],
            [.text("=HYPERLINK(\"http://evil\",\"点\")"), .number(Decimal(string: "-3")!), .empty, .text("@SUM(A1)")],
            [.text("机关团支部"), .number(Decimal(string: "88.25")!), .text("良好"), .text("+1 -1\u{1}")],
        ])

    // MARK: CSV

    var csv: [UInt8] { Array(CSVExport.data(Self.table)) }
    var csvText: String { String(decoding: csv.dropFirst(3), as: UTF8.self) }

    @Test func csvStartsWithTheBOMAndEndsLinesWithCRLF() {
        #expect(Array(csv.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(csvText.hasPrefix("单位,得分,等次,\"备注 <说明> & \"\"引号\"\"\"\r\n"))
        #expect(csvText.hasSuffix("\r\n"))
        #expect(csvText.components(separatedBy: "\r\n").count == 5)  // 4 records and the empty tail
    }

    @Test func csvQuotesFieldsWithCommasQuotesAndLineBreaks() {
        #expect(csvText.contains("第一党支部,97.5,优秀,\"按时, \"\"足额\"\"\n完成\"\r\n"))
        #expect(CSVExport.field(.text("plain")) == "plain")
        #expect(CSVExport.field(.text("a\r\nb")) == "\"a\r\nb\"")
        #expect(CSVExport.field(.text("a\rb")) == "\"a\rb\"")
        #expect(CSVExport.field(.empty) == "")
    }

    @Test func csvDefusesFormulasButNotNegativeNumbers() {
        #expect(csvText.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"点\"\")\",-3,,'@SUM(A1)\r\n"))
        #expect(csvText.contains("机关团支部,88.25,良好,'+1 -1"))
        for start in ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"] {
            #expect(CSVExport.defused(start + "1").hasPrefix("'"), "\(start.debugDescription)")
        }
        #expect(CSVExport.defused("第一党支部") == "第一党支部")
        #expect(CSVExport.field(.number(Decimal(string: "-3.50")!)) == "-3.5")
    }

    @Test func csvKeepsChineseAsUTF8() {
        #expect(csvText.contains("第一党支部") && csvText.contains("机关团支部"))
        #expect(Array("优秀".utf8) == [0xE4, 0xBC, 0x98, 0xE7, 0xA7, 0x80])
        #expect(csv.starts(with: [0xEF, 0xBB, 0xBF] + Array("单位".utf8)))
    }

    // MARK: XLSX container

    @Test func bitwiseCRCMatchesTheCheckValue() {
        // The test's own reader checks every part's CRC-32 against this, the check value of the CRC catalogue.
        #expect(Self.bitwiseCRC32(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func xlsxIsAValidZipWithEveryRequiredPart() throws {
        let entries = try Self.unzip(Array(try XLSXWorkbook.data(Self.table)))
        let names = entries.map(\.name)
        for required in [
            "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
            "xl/worksheets/sheet1.xml", "xl/styles.xml",
        ] {
            #expect(names.contains(required), "\(required)")
        }
        #expect(names.first == "[Content_Types].xml")
        #expect(Set(names).count == names.count)
        let types = try #require(entries.first { $0.name == "[Content_Types].xml" }).text
        for part in names where part.hasSuffix(".xml") && part != "[Content_Types].xml" {
            #expect(types.contains("PartName=\"/\(part)\""), "\(part) has a content type")
        }
    }

    /// Issue 29: a workbook written as its rows come (the whole bureau's 台账对照) is the same workbook, part for part,
    /// as one written whole — and a valid ZIP by this reader's own checks.
    @Test func aStreamedWorkbookHoldsThePartsOfOneWrittenWhole() async throws {
        let spool = try XLSXStream.Spool(header: Self.table.header)
        defer { spool.remove() }
        for row in Self.table.rows { try spool.append([row]) }
        try spool.close()
        var streamed = Data()
        try await XLSXStream.write(spool, sheetName: Self.table.sheetName) { streamed.append($0) }
        let whole = try Self.unzip(Array(try XLSXWorkbook.data(Self.table)))
        let parts = try Self.unzip(Array(streamed))
        #expect(parts.map(\.name) == whole.map(\.name))
        #expect(parts.map(\.text) == whole.map(\.text))
    }

    @Test func xlsxIsDeterministic() throws {
        #expect(try XLSXWorkbook.data(Self.table) == XLSXWorkbook.data(Self.table))
    }

    // MARK: XLSX sheet

    func sheet(_ table: ExportTable = Self.table) throws -> String {
        let entries = try Self.unzip(Array(try XLSXWorkbook.data(table)))
        return try #require(entries.first { $0.name == "xl/worksheets/sheet1.xml" }).text
    }

    @Test func sheetHoldsEscapedHeaderChineseTextAndNumbers() throws {
        let xml = try sheet()
        #expect(xml.contains(#"<c r="A1" s="1" t="inlineStr"><is><t xml:space="preserve">单位</t></is></c>"#))
        #expect(xml.contains("备注 &lt;说明&gt; &amp; &quot;引号&quot;"))
        #expect(xml.contains(#"<c r="B2"><v>97.5</v></c>"#))
        #expect(xml.contains(#"<c r="B3"><v>-3</v></c>"#))
        #expect(xml.contains(#"<c r="B4"><v>88.25</v></c>"#))
        #expect(xml.contains(">第一党支部<"))
        #expect(!xml.contains(#"r="C3""#))  // .empty writes no cell
        #expect(!xml.contains("\u{1}"))  // not legal anywhere in XML 1.0
        #expect(xml.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(xml.contains(#"<dimension ref="A1:D4"/>"#))
    }

    /// Issue 30: what the office files has a title row above the header, and its days are dates, not text.
    static let titled = ExportTable(
        sheetName: "考核结果", header: ["单位", "公布日"],
        rows: [[.text("第一党支部"), .date(CalendarDay(year: 2026, month: 10, day: 20)!)]],
        title: "2026年第三季度目标管理考核结果（2026-10-20 公布）")

    @Test func aTitledSheetHasItsTitleAboveTheHeaderAndItsDaysAsDates() async throws {
        let xml = try sheet(Self.titled)
        #expect(
            xml.contains(
                #"<c r="A1" s="2" t="inlineStr"><is><t xml:space="preserve">2026年第三季度目标管理考核结果（2026-10-20 公布）</t>"#))
        #expect(xml.contains(#"<c r="A2" s="1" t="inlineStr"><is><t xml:space="preserve">单位</t>"#))
        // 2026-10-20 is day 46315 of the 1900 date system, in the yyyy-mm-dd style.
        #expect(xml.contains(#"<c r="B3" s="3"><v>46315</v></c>"#))
        #expect(xml.contains(#"<pane ySplit="2" topLeftCell="A3" activePane="bottomLeft" state="frozen"/>"#))
        #expect(xml.contains(#"<dimension ref="A1:B3"/>"#))
        let styles = try #require(
            try Self.unzip(Array(try XLSXWorkbook.data(Self.titled))).first { $0.name == "xl/styles.xml" }
        ).text
        #expect(styles.contains(#"<numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/>"#))
        let csv = String(decoding: CSVExport.data(Self.titled).dropFirst(3), as: UTF8.self)
        #expect(csv == "2026年第三季度目标管理考核结果（2026-10-20 公布）\r\n单位,公布日\r\n第一党支部,2026-10-20\r\n")
        // Streamed, the same sheet.
        let spool = try XLSXStream.Spool(header: Self.titled.header, title: Self.titled.title)
        defer { spool.remove() }
        for row in Self.titled.rows { try spool.append([row]) }
        try spool.close()
        var streamed = Data()
        try await XLSXStream.write(spool, sheetName: Self.titled.sheetName) { streamed.append($0) }
        let whole = try Self.unzip(Array(try XLSXWorkbook.data(Self.titled)))
        #expect(try Self.unzip(Array(streamed)).map(\.text) == whole.map(\.text))
    }

    @Test func columnLettersRollOverAfterZ() throws {
        let expected = [
            1: "A", 2: "B", 26: "Z", 27: "AA", 28: "AB", 52: "AZ", 53: "BA", 702: "ZZ", 703: "AAA", 16384: "XFD",
        ]
        for (column, letters) in expected {
            #expect(XLSXWorkbook.columnLetters(column) == letters)
        }
        let wide = ExportTable(
            sheetName: "宽表", header: (1...27).map { "第\($0)项" },
            rows: [(1...27).map { .number(Decimal($0)) }])
        let xml = try sheet(wide)
        #expect(xml.contains(#"<c r="Z2"><v>26</v></c><c r="AA2"><v>27</v></c>"#))
        #expect(xml.contains(#"<dimension ref="A1:AA2"/>"#))
    }

    @Test func columnsAreWideEnoughForChinese() {
        #expect(XLSXWorkbook.displayWidth("党支部") == 6)
        #expect(XLSXWorkbook.displayWidth("A1，") == 4)
        let widths = XLSXWorkbook.columnWidths([[.text("第一党支部第一党支部"), .text("ab")]], columnCount: 2)
        #expect(widths == [22, 8])
    }

    @Test func sheetNamesFollowExcelsRules() throws {
        #expect(XLSXWorkbook.sheetName("2025[Q3]: a/b\\c*?") == "2025-Q3-- a-b-c--")
        #expect(XLSXWorkbook.sheetName("") == "Sheet1")
        #expect(XLSXWorkbook.sheetName("'引号'") == "引号")
        let long = XLSXWorkbook.sheetName(String(repeating: "考核", count: 20))
        #expect(long.utf16.count == 31 && long.hasPrefix("考核考核"))
        let workbook = try #require(
            try Self.unzip(Array(try XLSXWorkbook.data(Self.table))).first { $0.name == "xl/workbook.xml" })
        #expect(workbook.text.contains(#"<sheet name="2025Q3 考核结果" sheetId="1" r:id="rId1"/>"#))
    }

    @Test func literalExcelEscapesAreKeptAsTyped() {
        #expect(XLSXWorkbook.excelEscaped("_x0041_") == "_x005F_x0041_")
        #expect(XLSXWorkbook.excelEscaped("a_xyz_b") == "a_xyz_b")
        #expect(XLSXWorkbook.xmlEscaped("a\rb\u{B}c") == "a&#13;bc")
    }
}

// MARK: An independent zip reader

extension ExportTests {
    struct Entry {
        let name: String
        let content: [UInt8]
        var text: String { String(decoding: content, as: UTF8.self) }
    }

    struct BadZip: Error, CustomStringConvertible { let description: String }

    /// Reads the archive the way a spreadsheet does: from the end-of-central-directory record through the
    /// central directory to each local header, and checks every entry's CRC with a separate, bit-by-bit CRC.
    static func unzip(_ bytes: [UInt8]) throws -> [Entry] {
        func u16(_ at: Int) throws -> Int {
            guard at >= 0, at + 2 <= bytes.count else { throw BadZip(description: "read past the end at \(at)") }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8
        }
        func u32(_ at: Int) throws -> Int { try u16(at) | u16(at + 2) << 16 }

        let eocd = bytes.count - 22  // no archive comment is written
        guard try u32(eocd) == 0x0605_4B50 else { throw BadZip(description: "no end-of-central-directory record") }
        let count = try u16(eocd + 10)
        guard try u16(eocd + 8) == count else { throw BadZip(description: "entry counts disagree") }
        let directorySize = try u32(eocd + 12)
        var at = try u32(eocd + 16)
        guard at + directorySize == eocd else { throw BadZip(description: "directory does not end at the EOCD") }

        var entries: [Entry] = []
        for _ in 0..<count {
            guard try u32(at) == 0x0201_4B50 else { throw BadZip(description: "bad central header at \(at)") }
            let flags = try u16(at + 8), method = try u16(at + 10), crc = try u32(at + 16)
            let size = try u32(at + 20), uncompressed = try u32(at + 24)
            let nameLength = try u16(at + 28), extra = try u16(at + 30), comment = try u16(at + 32)
            let local = try u32(at + 42)
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            guard flags & 0x0800 != 0, method == 0, size == uncompressed else {
                throw BadZip(description: "\(name): flags \(flags), method \(method)")
            }

            guard try u32(local) == 0x0403_4B50, try u32(local + 14) == crc, try u32(local + 18) == size,
                try u16(local + 26) == nameLength,
                Array(bytes[(local + 30)..<(local + 30 + nameLength)])
                    == Array(bytes[(at + 46)..<(at + 46 + nameLength)])
            else { throw BadZip(description: "\(name): local header disagrees with the directory") }
            let start = local + 30 + nameLength + (try u16(local + 28))
            guard start + size <= bytes.count else { throw BadZip(description: "\(name): runs past the end") }
            let content = Array(bytes[start..<(start + size)])
            guard bitwiseCRC32(content) == UInt32(crc) else { throw BadZip(description: "\(name): CRC mismatch") }

            entries.append(Entry(name: name, content: content))
            at += 46 + nameLength + extra + comment
        }
        return entries
    }

    /// CRC-32 one bit at a time, so the archive is not checked by the code that wrote it.
    static func bitwiseCRC32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return ~crc
    }
}
