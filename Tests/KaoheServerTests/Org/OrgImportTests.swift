import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    @Suite struct OrgImportTests {
        static let goodCSV = """
            类型,代码,名称,上级代码,职务,入党日期,中层
            党总支,general,机关党总支,,,,
            党员,b1-g1-m1,张三,b1-g1,科长,2012-07-01,是
            党支部,b1,机关第一党支部,general,,,
            党小组,b1-g1,第一党小组,b1,,,
            """

        @Test func goodRowsComeBackParentsFirst() throws {
            let outcome = OrgImport.check(CSVTable.parse(Self.goodCSV), existing: [:])
            guard case .rows(let rows) = outcome else { Issue.record("\(outcome)"); return }
            #expect(rows.map(\.code) == ["general", "b1", "b1-g1", "b1-g1-m1"])
            #expect(rows.last?.midLevel == true)
            #expect(rows.last?.joinedOn == "2012-07-01")
        }

        @Test func everyBadRowIsListedWithItsReason() throws {
            let csv = """
                类型,代码,名称,上级代码,入党日期,中层
                党支部,b1,第一支部,general,,
                小队,b2,第二支部,general,,
                党小组,B 3,小组,b1,,
                党员,m1,,b1,2012-13-01,也许
                党支部,b1,重复,general,,
                """
            let outcome = OrgImport.check(CSVTable.parse(csv), existing: ["general": .general])
            guard case .problems(let problems) = outcome else { Issue.record("\(outcome)"); return }
            let lines = Set(problems.map(\.line))
            #expect(lines == [3, 4, 5, 6])
            #expect(problems.contains { $0.line == 3 && $0.reason.contains("类型") })
            #expect(problems.contains { $0.line == 4 && $0.reason.contains("代码") })
            #expect(problems.contains { $0.line == 5 && $0.reason.contains("名称") })
            #expect(problems.contains { $0.line == 5 && $0.reason.contains("入党日期") })
            #expect(problems.contains { $0.line == 5 && $0.reason.contains("中层") })
            #expect(problems.contains { $0.line == 6 && $0.reason.contains("已存在") })
        }

        @Test func aMemberMustHangUnderAGroup() throws {
            let csv = "类型,代码,名称,上级代码\n党员,m1,张三,general\n"
            let outcome = OrgImport.check(CSVTable.parse(csv), existing: ["general": .general])
            guard case .problems(let problems) = outcome else { Issue.record("\(outcome)"); return }
            #expect(problems.first?.reason.contains("党小组") == true)
        }

        @Test func quotedFieldsAndCRLFAreRead() {
            let rows = CSVTable.parse("a,\"b,\"\"c\"\"\",d\r\n1,2,3\r\n")
            #expect(rows == [["a", "b,\"c\"", "d"], ["1", "2", "3"]])
        }

        @Test func utf8WithBOMAndGBKAreBothDecoded() throws {
            let text = "类型,代码\n"
            #expect(CSVTable.decode(Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)) == text)
            let gbk = Data([0xC0, 0xE0, 0xD0, 0xCD, 0x2C, 0xB4, 0xFA, 0xC2, 0xEB, 0x0A])  // 类型,代码 in GBK
            #expect(CSVTable.decode(gbk) == text)
        }

        @Test func adminImportsAGBKFileThroughThePage() async throws {
            try await withKaohe({ $0.adminPassword = "first-start-pass" }, bootstrap: true) { app in
                let browser = Browser(app)
                try await browser.signIn("admin", "first-start-pass")
                try await browser.get("/admin/org")
                let gbk = try #require(Self.goodCSV.data(using: CSVTable.gb18030))
                let res = try await browser.upload("/admin/org/import", field: "file", filename: "组织.csv", data: gbk)
                #expect(res.status == .ok)
                #expect(res.body.string.contains("已导入 4 行"))
                #expect(try await Unit.query(on: app.db).count() == 4)
                let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "unit.create").count()
                #expect(audited == 4)
            }
        }

        @Test func oneBadRowImportsNothing() async throws {
            try await withKaohe({ $0.adminPassword = "first-start-pass" }, bootstrap: true) { app in
                let browser = Browser(app)
                try await browser.signIn("admin", "first-start-pass")
                try await browser.get("/admin/org")
                let csv = Self.goodCSV + "\n党小组,b1-g2,第二党小组,nowhere,,,\n"
                let res = try await browser.upload(
                    "/admin/org/import", field: "file", filename: "org.csv", data: Data(csv.utf8))
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("第 6 行"))
                #expect(res.body.string.contains("nowhere"))
                #expect(try await Unit.query(on: app.db).count() == 0)
            }
        }

        @Test func addingAUnitByFormShowsTheProblemBesideIt() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = Browser(app)
                try await browser.signIn("admin", DemoBureau.password)
                try await browser.get("/admin/org")
                let bad = try await browser.post(
                    "/admin/org/units", form: ["kind": "group", "code": "b9-g1", "name": "小组", "parent": "general"])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("党小组须隶属于党支部"))
                let good = try await browser.post(
                    "/admin/org/units",
                    form: ["kind": "branch", "code": "branch-5", "name": "机关第五党支部", "parent": "general"])
                #expect(good.status == .seeOther)
                #expect(try await Unit.query(on: app.db).filter(\.$code == "branch-5").count() == 1)
            }
        }

        @Test func editingAMemberIsAuditedWithBeforeAndAfter() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = Browser(app)
                try await browser.signIn("admin", DemoBureau.password)
                let form = try await browser.get("/admin/org/units/branch-1-group-1-member-2")
                #expect(form.status == .ok)
                let bad = try await browser.post(
                    "/admin/org/units/branch-1-group-1-member-2",
                    form: ["name": "陈小组", "joinedOn": "2012-02-30x", "midLevel": "否"])
                #expect(bad.status == .unprocessableEntity)
                #expect(bad.body.string.contains("入党日期"))
                let res = try await browser.post(
                    "/admin/org/units/branch-1-group-1-member-2",
                    form: ["name": "陈晓", "position": "副科长", "joinedOn": "2012-02-01", "midLevel": "是"])
                #expect(res.status == .seeOther)
                let unit = try #require(
                    try await Unit.query(on: app.db).filter(\.$code == "branch-1-group-1-member-2").first())
                #expect(unit.name == "陈晓")
                #expect(unit.holdsMidLevelPost)
                let event = try #require(try await AuditEvent.query(on: app.db).sort(\.$seq, .descending).first())
                #expect(event.action == "unit.update")
                #expect(event.before?.contains("陈小组") == true)
                #expect(event.after?.contains("陈晓") == true)
            }
        }
    }
}
