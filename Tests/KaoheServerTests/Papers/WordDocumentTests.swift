import Foundation
import KaoheCore
import Testing
import ZIPFoundation

@testable import KaoheServer

#if canImport(FoundationXML)
    import FoundationXML
#endif

extension ServerTests {
    /// The Word documents' package: every part well-formed, typed and related as Word requires, GB/T 9704's page.
    @Suite struct WordDocumentTests {
        /// The parts of a .docx by path, with their text.
        static func parts(of data: Data) throws -> [String: String] {
            let archive = try Archive(data: data, accessMode: .read)
            var parts: [String: String] = [:]
            for entry in archive {
                var content = Data()
                _ = try archive.extract(entry) { content.append($0) }
                parts[entry.path] = String(decoding: content, as: UTF8.self)
            }
            return parts
        }

        /// What Word refuses a package for: a part that is not XML, a part without a content type, a relationship to a
        /// part that is not there, a main document that is not WordprocessingML.
        static func checkPackage(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let parts = try parts(of: data)
            for (path, text) in parts {
                #expect(throws: Never.self, "\(path) is well-formed XML", sourceLocation: sourceLocation) {
                    _ = try XMLDocument(data: Data(text.utf8), options: [])
                }
            }
            let types = try #require(parts["[Content_Types].xml"])
            #expect(types.contains(#"PartName="/word/document.xml""#), sourceLocation: sourceLocation)
            for path in parts.keys where !path.hasSuffix(".rels") && path != "[Content_Types].xml" {
                #expect(
                    types.contains(#"PartName="/\#(path)""#), "\(path) has its content type",
                    sourceLocation: sourceLocation)
            }
            for (path, text) in parts where path.hasSuffix(".rels") {
                let base = path == "_rels/.rels" ? "" : "word/"
                let relationships = try XMLDocument(data: Data(text.utf8), options: [])
                for node in try relationships.nodes(forXPath: "//*[local-name()='Relationship']/@Target") {
                    let target = base + (node.stringValue ?? "")
                    #expect(
                        parts[target] != nil, "\(path) relates \(target), which is there",
                        sourceLocation: sourceLocation)
                }
            }
            let document = try XMLDocument(data: Data(try #require(parts["word/document.xml"]).utf8), options: [])
            #expect(document.rootElement()?.name == "w:document", sourceLocation: sourceLocation)
            #expect(
                try document.nodes(forXPath: "//*[local-name()='body']/*[local-name()='sectPr']").count == 1,
                "the section's page is the body's last child", sourceLocation: sourceLocation)
        }

        @Test func aPaperIsAWordPackageThatParts() throws {
            var paper = WordDocument(title: "测试 <&> \"公文\"")
            paper.add(.title("关于测试的通知\n第二行"))
            paper.add(.body("正文 & <标签> 'quote' \u{1}控制符\t制表"))
            paper.add(
                WordDocument.Table(
                    widths: [1000, 2000], header: [[.init("甲"), .init("乙")]],
                    rows: [[.init("合并", span: 2)], [.init("1"), .init("")]]))
            try Self.checkPackage(try paper.data())
            let xml = paper.documentXML
            #expect(xml.contains("&lt;标签&gt;") && xml.contains("&amp;") && !xml.contains("\u{1}"))
            #expect(xml.contains(#"<w:gridSpan w:val="2"/>"#))
            #expect(
                xml.hasSuffix("</w:sectPr></w:body></w:document>"), "a paragraph after the last table, then the page")
        }

        @Test func thePageIsGBT9704s() throws {
            let xml = WordDocument(title: "版式").documentXML
            // A4; 天头 37 mm, 订口 28 mm, 156 × 225 mm of text: right 26 mm, bottom 35 mm.
            #expect(xml.contains(#"<w:pgSz w:w="11906" w:h="16838"/>"#))
            #expect(xml.contains(#"w:top="2098""#) && xml.contains(#"w:left="1587""#))
            #expect(xml.contains(#"w:right="1474""#) && xml.contains(#"w:bottom="1984""#))
            #expect(WordParts.fontTable.contains(#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#))
            #expect(WordParts.fontTable.contains(#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>"#))
            let certificate = WordDocument(title: "证书", orientation: .landscape, pageNumbers: false)
            #expect(certificate.documentXML.contains(#"w:orient="landscape""#))
            #expect(!certificate.documentXML.contains("footerReference"), "a certificate has no page number")
            #expect(!certificate.parts.contains { $0.path == "word/footer1.xml" })
        }

        @Test func twoDownloadsOfOnePaperAreTheSameBytes() throws {
            let paper = ResultsNoticePaper.document(
                period: {
                    let p = Period(); p.code = "2026Q3"; p.year = 2026; p.quarter = 3; p.publishedOn = "2026-10-20";
                    return p
                }(),
                rows: [], objectionDeadline: CalendarDay(year: 2026, month: 10, day: 27),
                letterhead: Letterhead(issuer: "中共某某局机关总支部委员会", docNumber: "局机关党总支〔{年}〕{号}号"))
            #expect(try paper.data() == paper.data())
            let xml = paper.documentXML
            #expect(xml.contains("局机关党总支〔2026〕　　号"), "the number is left for the registry")
            #expect(xml.contains("二〇二六年十月二十日") && xml.contains("二〇二六年十月二十七日"))
            #expect(xml.contains(#"w:color w:val="FF0000""#), "发文机关标志 in red")
        }

        @Test(arguments: [
            ((2026, 12, 5), "二〇二六年十二月五日"), ((2026, 10, 10), "二〇二六年十月十日"),
            ((2030, 1, 31), "二〇三〇年一月三十一日"), ((2026, 11, 20), "二〇二六年十一月二十日"),
            ((2000, 2, 29), "二〇〇〇年二月二十九日"),
        ])
        func 成文日期IsWrittenInChinese(_ day: (Int, Int, Int), _ written: String) throws {
            #expect(try #require(CalendarDay(year: day.0, month: day.1, day: day.2)).written == written)
        }
    }
}
