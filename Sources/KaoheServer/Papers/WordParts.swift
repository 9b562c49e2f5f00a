import Foundation

/// The parts of a .docx that do not depend on the paper: content types, relationships, styles, the font table with
/// each font's stand-in, settings, the footer's page number and the document's properties.
enum WordParts {
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    /// Every part's timestamp: a fixed day, so that one paper's two downloads are the same bytes.
    static let partsDate = Date(timeIntervalSince1970: 946_728_000)

    static func fixed(title: String, footer: Bool) -> [(path: String, xml: String)] {
        [
            ("[Content_Types].xml", contentTypes(footer: footer)),
            ("_rels/.rels", packageRelationships),
            ("word/_rels/document.xml.rels", documentRelationships(footer: footer)),
            ("word/styles.xml", styles),
            ("word/settings.xml", settings),
            ("word/fontTable.xml", fontTable),
            ("docProps/core.xml", core(title: title)),
            ("docProps/app.xml", app),
        ]
    }

    private static let package = "http://schemas.openxmlformats.org/package/2006"
    private static let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let wordML = "application/vnd.openxmlformats-officedocument.wordprocessingml"

    static func contentTypes(footer: Bool) -> String {
        declaration + #"<Types xmlns="\#(package)/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + #"<Override PartName="/word/document.xml" ContentType="\#(wordML).document.main+xml"/>"#
            + #"<Override PartName="/word/styles.xml" ContentType="\#(wordML).styles+xml"/>"#
            + #"<Override PartName="/word/settings.xml" ContentType="\#(wordML).settings+xml"/>"#
            + #"<Override PartName="/word/fontTable.xml" ContentType="\#(wordML).fontTable+xml"/>"#
            + (footer ? #"<Override PartName="/word/footer1.xml" ContentType="\#(wordML).footer+xml"/>"# : "")
            + #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
            + #"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#
            + "</Types>"
    }

    static let packageRelationships =
        declaration + #"<Relationships xmlns="\#(package)/relationships">"#
        + #"<Relationship Id="rId1" Type="\#(officeRelationships)/officeDocument" Target="word/document.xml"/>"#
        + #"<Relationship Id="rId2" Type="\#(package)/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
        + #"<Relationship Id="rId3" Type="\#(officeRelationships)/extended-properties" Target="docProps/app.xml"/>"#
        + "</Relationships>"

    static func documentRelationships(footer: Bool) -> String {
        declaration + #"<Relationships xmlns="\#(package)/relationships">"#
            + #"<Relationship Id="rIdStyles" Type="\#(officeRelationships)/styles" Target="styles.xml"/>"#
            + #"<Relationship Id="rIdSettings" Type="\#(officeRelationships)/settings" Target="settings.xml"/>"#
            + #"<Relationship Id="rIdFonts" Type="\#(officeRelationships)/fontTable" Target="fontTable.xml"/>"#
            + (footer
                ? #"<Relationship Id="rIdFooter" Type="\#(officeRelationships)/footer" Target="footer1.xml"/>"# : "")
            + "</Relationships>"
    }

    /// 正文 defaults: 3号 仿宋_GB2312, Times New Roman for Latin letters and digits (GB/T 9704's usage).
    static let styles =
        declaration + #"<w:styles xmlns:w="\#(w)"><w:docDefaults><w:rPrDefault><w:rPr>"#
        + #"<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"/>"#
        + #"<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>"#
        + #"</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr>"#
        + #"</w:pPrDefault></w:docDefaults>"#
        + #"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>"#
        + #"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>"#
        + #"<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>"#
        + #"<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>"#
        + #"</w:tblCellMar></w:tblPr></w:style>"#
        + "</w:styles>"

    static let settings =
        declaration + #"<w:settings xmlns:w="\#(w)"><w:zoom w:percent="100"/>"#
        + #"<w:defaultTabStop w:val="420"/><w:characterSpacingControl w:val="compressPunctuation"/>"#
        + #"<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>"#
        + "</w:settings>"

    /// Each font with the one Word and WPS put in its place on a machine without it (`altName`), and its
    /// character set (GB2312: 134) so that a substitute is chosen among Chinese fonts.
    static let fontTable: String = {
        let fonts = [
            WordDocument.Font.title, .body, .heading, .kai,
        ].map { font in
            #"<w:font w:name="\#(font.rawValue)"><w:altName w:val="\#(font.standIn)"/><w:charset w:val="86"/>"#
                + #"<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#
        }
        return declaration + #"<w:fonts xmlns:w="\#(w)">"# + fonts.joined()
            + #"<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#
            + #"<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#
            + "</w:fonts>"
    }()

    /// 页码: 4号 宋体 半角数字, a dash each side (GB/T 9704 7.5), odd pages right and even left being left to the
    /// printer's duplex setting, centred here.
    static let footer: String = {
        let run = { (text: String) in
            #"<w:r><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/></w:rPr>"#
                + #"<w:t xml:space="preserve">\#(text)</w:t></w:r>"#
        }
        let field =
            #"<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>"#
            + #"<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>"#
            + #"<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>"#
            + #"<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:t>1</w:t></w:r>"#
            + #"<w:r><w:rPr><w:sz w:val="28"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>"#
        return declaration + #"<w:ftr xmlns:w="\#(w)"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>"#
            + run("— ") + field + run(" —") + "</w:p></w:ftr>"
    }()

    static func core(title: String) -> String {
        declaration
            + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#
            + #"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#
            + #"xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
            + "<dc:title>\(XLSXWorkbook.xmlEscaped(title))</dc:title><dc:creator>Kaohe</dc:creator>"
            + #"<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T12:00:00Z</dcterms:created>"#
            + "</cp:coreProperties>"
    }

    static let app =
        declaration
        + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">"#
        + "<Application>Kaohe</Application></Properties>"

    static let contentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
}
