import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// The papers an office files, as Word documents (contracts/api.md, "Office-ready"): who reads each, what it
    /// holds, and that LibreOffice opens every one of the demo's year and prints the data.
    @Suite struct PapersAPITests {
        static let issuer = "中共某某市某某局机关总支部委员会"

        /// The demo's quarter published, the letterhead set, and 2026's branch award decided for 机关第一党支部.
        static func demoYear(_ api: inout QuarterAPI, on app: Application) async throws {
            try await PenaltiesTests.publishedQuarter(&api)
            let bases = PenaltiesTests.bases.sorted { $0.key < $1.key }.map {
                ["unit": $0.key, "amount": $0.value] as [String: Any]
            }
            #expect(try await PenaltiesTests.putBases(&api, bases).status == .ok)
            try await api.call(
                .PUT, "/api/v1/settings/letterhead", as: "admin",
                json: ["issuer": issuer, "docNumber": "局机关党总支〔{年}〕{号}号"]
            ) { #expect($0.status == .ok, "\($0.body.string)") }
            let decision = AnnualDecision()
            decision.year = 2026
            decision.level = .branch
            decision.awards = #"["branch-1"]"#
            decision.decidedBy = "shuji"
            decision.decidedOn = "2026-12-05"
            try await decision.create(on: app.db)
        }

        static func word(
            _ api: inout QuarterAPI, _ path: String, as user: String, sourceLocation: SourceLocation = #_sourceLocation
        ) async throws -> Data {
            let response = try await api.call(.GET, path, as: user)
            #expect(
                response.status == .ok, "\(path): \(response.body.string.prefix(300))", sourceLocation: sourceLocation)
            #expect(response.headers.contentType?.serialize() == WordParts.contentType, sourceLocation: sourceLocation)
            #expect(
                response.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''") == true,
                sourceLocation: sourceLocation)
            let data = Data(buffer: response.body)
            try WordDocumentTests.checkPackage(data, sourceLocation: sourceLocation)
            return data
        }

        static func text(of data: Data) throws -> String {
            try #require(WordDocumentTests.parts(of: data)["word/document.xml"])
        }

        @Test func theLetterheadIsTheAdminsToSetAndIsAudited() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let before = try await api.call(.GET, "/api/v1/settings/letterhead", as: "zhibu1")
                #expect(before.status == .ok)
                #expect(try before.content.decode(Letterhead.self) == Letterhead(issuer: "机关党总支", docNumber: ""))
                let organizer = try await api.call(
                    .PUT, "/api/v1/settings/letterhead", as: "zuzhi", json: ["issuer": "某局", "docNumber": ""])
                #expect(organizer.status == .forbidden)
                for (body, field) in [
                    (["issuer": "  ", "docNumber": ""], "issuer"),
                    (["issuer": String(repeating: "长", count: 61), "docNumber": ""], "issuer"),
                    (["issuer": "某局", "docNumber": "第一行\n第二行"], "docNumber"),
                ] {
                    let refused = try await api.call(.PUT, "/api/v1/settings/letterhead", as: "admin", json: body)
                    #expect(refused.status == .unprocessableEntity)
                    #expect(refused.body.string.contains(field), "\(refused.body.string)")
                }
                let set = try await api.call(
                    .PUT, "/api/v1/settings/letterhead", as: "admin",
                    json: ["issuer": " \(Self.issuer) ", "docNumber": "局机关党总支〔{年}〕{号}号"])
                #expect(set.status == .ok)
                #expect(try set.content.decode(Letterhead.self).issuer == Self.issuer, "trimmed")
                // The same again changes and logs nothing.
                try await api.call(
                    .PUT, "/api/v1/settings/letterhead", as: "admin",
                    json: ["issuer": Self.issuer, "docNumber": "局机关党总支〔{年}〕{号}号"])
                let events = try await AuditEvent.query(on: app.db).filter(\.$action == "setting.letterhead").all()
                #expect(events.count == 1)
                #expect(events.first?.subject == "setting:letterhead" && events.first?.actor == "admin")
                #expect(try await AuditLog.verify(on: app.db).firstBreak == nil)
            }
        }

        @Test func eachPaperIsReadOnlyByThoseWhoReadItsPage() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                // Before publication there is no 公示 and no 扣奖.
                #expect(try await api.call(.GET, "results/notice.docx", as: "zuzhi").status == .notFound)
                #expect(try await api.call(.GET, "penalties.docx", as: "zuzhi").status == .conflict)
                // A draft is its own unit's and the general branch's: another branch does not learn it exists.
                #expect(
                    try await api.call(.GET, "assessments/branch-2/document.docx", as: "zhibu1").status == .notFound)
                _ = try await Self.word(&api, "assessments/branch-1/document.docx", as: "zhibu1")
                try await Self.demoYear(&api, on: app)
                #expect(try await api.call(.GET, "penalties.docx", as: "zhibu1").status == .forbidden)
                #expect(
                    try await api.call(.GET, "/api/v1/years/2026/certificates/branch-2.docx", as: "zhibu2").status
                        == .notFound, "no award, no certificate")
                #expect(
                    try await api.call(.GET, "/api/v1/years/2026/certificates/branch-1", as: "zhibu2").status
                        == .notFound, "the certificate is named with .docx")
                #expect(
                    try await api.call(.GET, "/api/v1/years/2026/certificates.docx", as: "zhibu1").status == .forbidden)
                #expect(try await api.call(.GET, "/api/v1/years/2025/selection.docx", as: "zhibu1").status == .notFound)
                // Unsigned, nothing.
                try await app.testing().test(.GET, "/api/v1/periods/2026Q3/results/notice.docx") {
                    #expect($0.status == .unauthorized)
                }
            }
        }

        @Test func thePapersHoldTheDataWithTheLetterheadAndThePeople() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.demoYear(&api, on: app)
                let notice = try Self.text(of: try await Self.word(&api, "results/notice.docx", as: "dangyuan1"))
                #expect(notice.contains(Self.issuer) && notice.contains("局机关党总支〔2026〕　　号"))
                #expect(notice.contains("关于2026年第三季度党支部目标管理考核结果的公示"))
                for name in DemoBureau.branchNames { #expect(notice.contains(name)) }
                #expect(notice.range(of: #"二〇二六年[一二三四五六七八九十]+月[一二三四五六七八九十]+日"#, options: .regularExpression) != nil)

                let penalties = try Self.text(of: try await Self.word(&api, "penalties.docx", as: "shuji"))
                for person in ["张一（第一支部书记）", "王二（第二支部书记）", "孙书记（总支书记）", "傅副书记（总支副书记）"] {
                    #expect(penalties.contains(person), "the 扣奖 names \(person)")
                }
                #expect(penalties.contains("6000.5 × 1.3"), "the formula with the secretary's numbers")

                let sheet = try Self.text(
                    of: try await Self.word(&api, "assessments/branch-2/document.docx", as: "zuzhi"))
                #expect(sheet.contains("机关第二党支部") && sheet.contains("目标管理考核表"))
                #expect(sheet.contains("一名党员参与赌博被查处"), "the entries with their cases")
                for who in ["支部书记（签字）", "考核小组组长（签字）", "总支书记（签字）"] { #expect(sheet.contains(who)) }
                for step in ["报送", "转交考核小组", "考核完毕", "审核确定", "公布考核结果"] {
                    #expect(sheet.contains(step), "流转记录 holds \(step)")
                }

                let certificate = try Self.text(
                    of: try await Self.word(&api, "/api/v1/years/2026/certificates/branch-1.docx", as: "zhibu2"))
                #expect(certificate.contains("荣誉证书") && certificate.contains("机关第一党支部"))
                #expect(certificate.contains(Self.issuer) && certificate.contains("二〇二六年十二月五日"))
                let selection = try Self.text(
                    of: try await Self.word(&api, "/api/v1/years/2026/selection.docx", as: "zhibu2"))
                #expect(selection.contains("先进党支部") && selection.contains("机关第一党支部"))
            }
        }

        /// Every paper of the demo's year opened by LibreOffice, as an office opens it, and printed to PDF whose text
        /// holds the data.
        @Test(.enabled(if: LibreOffice.present, "LibreOffice (libreoffice-writer-nogui) and pdftotext"))
        func libreOfficeOpensEveryPaperOfTheDemosYear() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.demoYear(&api, on: app)
                let papers: [(String, String, [String])] = [
                    ("results/notice.docx", "dangyuan1", [Self.issuer, "机关第四党支部", "公示"]),
                    ("penalties.docx", "shuji", ["王二", "扣奖", "孙书记"]),
                    ("assessments/branch-1/document.docx", "zhibu1", ["机关第一党支部", "考核小组组长（签字）"]),
                    ("/api/v1/years/2026/certificates/branch-1.docx", "zhibu1", ["荣誉证书", "机关第一党支部"]),
                    ("/api/v1/years/2026/certificates.docx", "shuji", ["荣誉证书"]),
                    ("/api/v1/years/2026/selection.docx", "zhibu1", ["评选结果", "机关第一党支部"]),
                ]
                for (path, user, words) in papers {
                    let data = try await Self.word(&api, path, as: user)
                    let text = try LibreOffice.pdfText(of: data)
                    // pdftotext may space a line's characters apart; the words are looked for without spaces.
                    let flat = text.filter { !$0.isWhitespace }
                    for word in words { #expect(flat.contains(word), "\(path): \(word) in \(text.prefix(400))") }
                }
            }
        }
    }
}

extension ServerTests.PapersAPITests {
    @Test func theAdminSetsTheLetterheadOnTheOrgPageAndARefusalKeepsWhatWasTyped() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            let browser = try await Browser.signedIn(app, "admin", on: "/admin/org")
            let page = try await browser.get("/admin/org").body.string
            #expect(page.contains("发文机关与发文字号") && page.contains(#"value="机关党总支""#))
            let refused = try await browser.post(
                "/admin/org/letterhead", form: ["issuer": " ", "docNumber": "局机关党总支〔{年}〕{号}号"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("issuer-error") && refused.body.string.contains("〔{年}〕{号}号"))
            let saved = try await browser.post(
                "/admin/org/letterhead", form: ["issuer": Self.issuer, "docNumber": "局机关党总支〔{年}〕{号}号"])
            #expect(saved.status == .seeOther)
            #expect(
                try await Letterhead.current(on: app.db)
                    == Letterhead(issuer: Self.issuer, docNumber: "局机关党总支〔{年}〕{号}号"))
        }
    }
}
