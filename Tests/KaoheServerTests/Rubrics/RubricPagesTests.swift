import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    @Suite struct RubricPagesTests {
        func admin(_ app: Application) async throws -> Browser {
            try await Browser.signedIn(app, "admin", on: "/rubrics")
        }

        @Test func theShippedRubricsAreInstalledOnFirstStart() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let versions = try await RubricVersion.query(on: app.db).sort(\.$key).all()
                #expect(versions.map(\.key) == ["bureau-branch", "member", "party-group"])
                #expect(versions.allSatisfy { $0.number == 1 })
                let installs = try await AuditEvent.query(on: app.db).filter(\.$action == "rubric.install").count()
                #expect(installs == 3)
            }
        }

        @Test func everyoneSignedInReadsTheRubricAsTheTable() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = Browser(app)
                try await browser.signIn("dangyuan1", DemoBureau.password)
                let page = try await browser.get("/rubrics/bureau-branch/1")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("组织健全"))
                #expect(page.body.string.contains("支部班子配备不全"))
                #expect(!page.body.string.contains(#"name="base.1.1""#), "a member sees numbers, not inputs")
            }
        }

        @Test func anUploadIsCheckedByTheStrictLoaderAndNothingBadIsSaved() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await admin(app)
                let bad = tinyRubricYAML.replacingOccurrences(of: "        base: 6", with: "        bsae: 6")
                let res = try await browser.upload(
                    "/rubrics", field: "file", filename: "tiny.yaml", data: Data(bad.utf8))
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("tiny.yaml:"))
                #expect(res.body.string.contains("bsae"))
                #expect(try await RubricVersion.query(on: app.db).filter(\.$key == "tiny").count() == 0)
            }
        }

        @Test func aGoodUploadIsVersionOne() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await admin(app)
                let res = try await browser.upload(
                    "/rubrics", field: "file", filename: "tiny.yaml", data: Data(tinyRubricYAML.utf8))
                #expect(res.status == .seeOther)
                #expect(res.headers.first(name: .location) == "/rubrics/tiny/1?saved=1")
                let page = try await browser.get("/rubrics/tiny/1?saved=1")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("已保存为新版本 1"))
                #expect(page.body.string.contains(#"name="min.2.1.a" value="2""#))
                #expect(page.body.string.contains("/次"))
                let list = try await browser.get("/rubrics")
                #expect(list.status == .ok)
                #expect(list.body.string.contains("示例细则"))
            }
        }

        @Test func anEditIsANewVersionAndTheOldOneNeverChanges() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await admin(app)
                try await browser.upload(
                    "/rubrics", field: "file", filename: "tiny.yaml", data: Data(tinyRubricYAML.utf8))
                try await browser.get("/rubrics/tiny/1")
                let res = try await browser.post(
                    "/rubrics/tiny/1/edit",
                    form: [
                        "base.1.1": "5", "base.2.1": "5", "min.2.1.a": "1.5", "grade.excellent": "9.5",
                        "penalty.rate": "0.4",
                        "note": "经总支委员会研究调整",
                    ])
                #expect(res.status == .seeOther)
                let versions = try await RubricVersion.query(on: app.db).filter(\.$key == "tiny").sort(\.$number).all()
                #expect(versions.count == 2)
                #expect(versions[0].yaml == tinyRubricYAML, "version 1 is never changed")
                #expect(versions[1].yaml.contains("base: 5   # default"), "comments survive an edit")
                let edited = try RubricLoader.load(yaml: versions[1].yaml, file: "v2")
                #expect(edited.items.map(\.base) == [5, 5])
                #expect(edited.rule(id: "2.1.a")?.points == .range(min: Decimal(string: "1.5")!, max: 3))
                #expect(edited.grades.first?.min == Decimal(string: "9.5")!)
                #expect(edited.penalty?.rate == Decimal(string: "0.4")!)
                #expect(edited.version == "1+2")
                let event = try #require(try await AuditEvent.query(on: app.db).sort(\.$seq, .descending).first())
                #expect(event.action == "rubric.version")
                #expect(event.actor == "admin")
            }
        }

        /// The ledger's counts are the rubric's numbers too: shown by their span, edited as any other, and the
        /// 细则's text follows (支委会全年不少于{requirements.committeeMeeting.perYear}次).
        @Test func theLedgersRequirementsAreShownAndEditedByTheirSpan() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await admin(app)
                let page = try await browser.get("/rubrics/bureau-branch/1").body.string
                #expect(page.contains("活动台账要求"))
                #expect(page.contains("学习日：周三不少于 <input"), "the weekly day by its name")
                #expect(page.contains("name=\"requirement.1.perYear\" value=\"12\""), "支委会 twelve a year")
                #expect(page.contains("各党小组分别计"))
                let res = try await browser.post(
                    "/rubrics/bureau-branch/1/edit", form: ["requirement.1.perYear": "10", "note": "支委会次数调整"])
                #expect(res.status == .seeOther)
                let latest = try #require(
                    try await RubricVersion.query(on: app.db).filter(\.$key == "bureau-branch")
                        .sort(\.$number, .descending).first())
                let edited = try RubricLoader.load(yaml: latest.yaml, file: "v2")
                #expect(edited.requirements[1].activity == .committeeMeeting && edited.requirements[1].perYear == 10)
                #expect(edited.items.first { $0.id == "2.1" }?.text.contains("支委会全年不少于10次") == true)
                let bad = try await browser.post(
                    "/rubrics/bureau-branch/\(latest.number)/edit", form: ["requirement.1.perYear": "0", "note": "试改"])
                #expect(bad.status == .unprocessableEntity, "the loader's rule: at least 1")
            }
        }

        @Test func anEditThatBreaksTheTotalIsRefusedWithTheLoadersReason() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await admin(app)
                try await browser.upload(
                    "/rubrics", field: "file", filename: "tiny.yaml", data: Data(tinyRubricYAML.utf8))
                try await browser.get("/rubrics/tiny/1")
                let res = try await browser.post("/rubrics/tiny/1/edit", form: ["base.1.1": "5", "note": "试改"])
                #expect(res.status == .unprocessableEntity)
                #expect(res.body.string.contains("maxScore"))
                let notANumber = try await browser.post("/rubrics/tiny/1/edit", form: ["base.1.1": "五", "note": "试改"])
                #expect(notANumber.status == .unprocessableEntity)
                #expect(notANumber.body.string.contains("base.1.1"))
                let noNote = try await browser.post("/rubrics/tiny/1/edit", form: ["base.1.1": "5", "base.2.1": "5"])
                #expect(noNote.status == .unprocessableEntity)
                #expect(noNote.body.string.contains("修改说明"))
                #expect(try await RubricVersion.query(on: app.db).filter(\.$key == "tiny").count() == 1)
            }
        }

        /// A stale edit is refused, not merged: two admins edit version 1; the second would have undone the first's.
        @Test func anEditOfAVersionNoLongerTheNewestIsRefusedAndShowsTheNewest() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let first = try await admin(app)
                try await first.upload(
                    "/rubrics", field: "file", filename: "tiny.yaml", data: Data(tinyRubricYAML.utf8))
                let second = try await admin(app)
                try await second.get("/rubrics/tiny/1")
                #expect(
                    try await first.post("/rubrics/tiny/1/edit", form: ["base.1.1": "5", "base.2.1": "5", "note": "甲"])
                        .status == .seeOther)
                let stale = try await second.post(
                    "/rubrics/tiny/1/edit", form: ["min.2.1.a": "1.5", "note": "乙的修改"])
                #expect(stale.status == .conflict)
                #expect(stale.body.string.contains("已保存第 2 版") && stale.body.string.contains("乙的修改"))
                let versions = try await RubricVersion.query(on: app.db).filter(\.$key == "tiny").count()
                #expect(versions == 2, "nothing saved over the newer version")
                // A refused edit keeps the numbers as typed.
                let refused = try await second.post("/rubrics/tiny/2/edit", form: ["base.1.1": "五", "note": "试改"])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains(#"name="base.1.1" value="五""#))
            }
        }
    }
}
