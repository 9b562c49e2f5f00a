import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 办法 七(一): 扣奖 of each branch secretary and of the general branch, from the published quarter.
    @Suite struct PenaltiesTests {
        struct Document: Content {
            struct Secretary: Content {
                let unit: String; let name: String; let total: Decimal?; let grade: String?
                let baseBonus: Decimal; let penalty: Decimal; let formula: String?; let baseSetBy: String?
            }
            struct General: Content {
                let penalty: Decimal; let generalSecretary: Decimal; let deputySecretary: Decimal; let branches: Int
            }
            let period: String
            let secretaries: [Secretary]
            let general: General
        }

        static let bases: [String: Decimal] = ["branch-1": 6000, "branch-2": 6000.5, "branch-3": 5800, "branch-4": 0]

        /// Branch 2 falls to 基本合格 with two grave deductions; every branch is approved and the quarter published.
        static func publishedQuarter(_ api: inout QuarterAPI) async throws {
            for (rule, note) in [("5.2.c", "一名党员参与赌博被查处"), ("3.2.c", "一名党员违反计划生育政策")] {
                let added = try await api.call(
                    .POST, "assessments/branch-2/entries", as: "zhibu2",
                    json: ["rule": rule, "note": note])
                #expect(added.status == .created, "\(added.body.string)")
            }
            for unit in ["branch-1", "branch-2", "branch-3", "branch-4"] { try await api.approve(unit) }
            try await api.call(.POST, "publish", as: "zuzhi") { #expect($0.status == .ok) }
        }

        static func putBases(_ api: inout QuarterAPI, _ bases: [[String: Any]], as user: String = "zuzhi") async throws
            -> TestingHTTPResponse
        {
            try await api.call(.PUT, "penalties/bases", as: user, json: ["bases": bases])
        }

        @Test func 七一_theSecretarysPenaltyIsTheEnginesFromTheBaseAndThePublishedResult() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.publishedQuarter(&api)
                let put = try await Self.putBases(
                    &api, Self.bases.sorted { $0.key < $1.key }.map { ["unit": $0.key, "amount": $0.value] })
                #expect(put.status == .ok, "\(put.body.string)")
                let document = try await api.call(.GET, "penalties", as: "shuji").content.decode(Document.self)

                // The same sheets, scored by KaoheCore with the bases, as `kaohe score` scores them.
                let rubric = try RubricStore.rubric(
                    of: try #require(
                        try await RubricVersion.query(on: app.db)
                            .filter(\.$key == "bureau-branch").sort(\.$number, .descending).first()))
                var unrounded: [Decimal] = []
                for line in document.secretaries {
                    let sheet = try #require(try await Sheet.query(on: app.db).filter(\.$unitCode == line.unit).first())
                    let entries = try await sheet.entries(on: app.db).all()
                    let unit = UnitSheet(
                        unit: line.unit, baseBonus: Self.bases[line.unit] ?? 0,
                        entries: entries.filter { !$0.withdrawn }.map(Sheets.entry))
                    let score = try Scorer(rubric: rubric).score(unit)
                    #expect(line.penalty == score.penalty, "\(line.unit)")
                    #expect(line.total == score.total.rounded(scale: 2))
                    #expect(line.baseBonus == Self.bases[line.unit])
                    #expect(line.baseSetBy == "zuzhi")
                    unrounded.append(score.unroundedPenalty)
                }
                let branch2 = try #require(document.secretaries.first { $0.unit == "branch-2" })
                #expect(branch2.grade == "basic")
                #expect(branch2.penalty > 0)
                #expect(
                    branch2.formula
                        == "6000.5 × 1.3 × (1 − \(try #require(branch2.total))/90) × 50% = \(branch2.penalty)")
                #expect(document.secretaries.first { $0.unit == "branch-1" }?.formula == nil, "合格 draws no penalty")
                let general = GeneralBranchPenalty(unroundedPenalties: unrounded, policy: rubric.penalty)
                #expect(document.general.branches == 4)
                #expect(document.general.penalty == general.penalty)
                #expect(document.general.generalSecretary == general.generalSecretary)
                #expect(document.general.deputySecretary == general.deputySecretary)
                #expect(general.penalty > 0)
            }
        }

        @Test func 七一_aBadBaseIsRefusedNamingTheUnitAndChangesNothing() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.putBases(&api, [["unit": "branch-1", "amount": 6000]])
                for (bases, named) in [
                    ([["unit": "branch-2", "amount": 5000], ["unit": "branch-1", "amount": -1]], "branch-1"),
                    ([["unit": "branch-1", "amount": "六千"]], "branch-1"),
                    ([["unit": "branch-1", "amount": 6000.005]], "branch-1"),
                    ([["unit": "branch-1", "amount": 1e30]], "branch-1"),
                    ([["unit": "branch-9", "amount": 6000]], "branch-9"),
                    ([["unit": "branch-1-group-1", "amount": 6000]], "branch-1-group-1"),
                    ([["unit": "branch-1", "amount": 1], ["unit": "branch-1", "amount": 2]], "branch-1"),
                ] as [([[String: Any]], String)] {
                    let refused = try await Self.putBases(&api, bases)
                    #expect(refused.status == .unprocessableEntity, "\(bases)")
                    let reason = try refused.content.decode(ErrorBody.self).reason
                    #expect(reason.hasPrefix("bases[") && reason.contains(named), "\(reason)")
                }
                let sheet = try #require(try await Sheet.query(on: app.db).filter(\.$unitCode == "branch-1").first())
                #expect(sheet.baseBonus == "6000")
                #expect(
                    try await Sheet.query(on: app.db).filter(\.$unitCode == "branch-2").first()?.baseBonus == nil,
                    "a refused request writes none of its lines")
                // Full-width digits are digits.
                #expect(try await Self.putBases(&api, [["unit": "branch-2", "amount": "５０００.５"]]).status == .ok)
            }
        }

        @Test func 七一_onlyTheOrganizerSetsBasesAndOnlyTheGeneralBranchReadsTheSheet() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for user in ["shuji", "zhibu1", "kaohe1", "dangyuan1"] {
                    #expect(
                        try await Self.putBases(&api, [["unit": "branch-1", "amount": 1]], as: user).status
                            == .forbidden, "\(user)")
                }
                #expect(
                    try await api.call(.GET, "penalties", as: "zuzhi").status == .conflict, "not before publication")
                try await Self.publishedQuarter(&api)
                for user in ["zuzhi", "shuji", "fushuji", "kaohe1"] {
                    #expect(try await api.call(.GET, "penalties", as: user).status == .ok, "\(user)")
                }
                for user in ["zhibu1", "xiaozu1", "dangyuan1", "kaohe2"] {
                    #expect(try await api.call(.GET, "penalties", as: user).status == .forbidden, "\(user)")
                    #expect(try await api.call(.GET, "penalties.csv", as: user).status == .forbidden, "\(user)")
                }
                let csv = try await api.call(.GET, "penalties.csv", as: "zuzhi")
                #expect(csv.status == .ok)
                #expect(csv.body.string.hasPrefix("\u{FEFF}"), "Excel reads UTF-8 with its BOM")
                #expect(csv.body.string.contains("总支书记"))
                #expect(
                    try await api.call(.GET, "penalties.xlsx", as: "zuzhi").headers.contentType?.subType.contains(
                        "spreadsheetml") == true)
            }
        }

        @Test func 七一_theOrganizerEntersBasesOnThePageAndASecretarySeesOnlyTheirLine() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.publishedQuarter(&api)
                let page = "/periods/2026Q3/penalties"
                let organizer = try await Browser.signedIn(app, "zuzhi", on: page)
                let refused = try await organizer.post(
                    page + "/bases", form: ["bases[branch-1]": "6000", "bases[branch-2]": "-5"])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("金额不能为负数"))
                #expect(refused.body.string.contains("value=\"-5\""), "what was typed is kept")
                #expect(try await Sheet.query(on: app.db).filter(\.$unitCode == "branch-1").first()?.baseBonus == nil)
                let saved = try await organizer.post(
                    page + "/bases", form: ["bases[branch-1]": "6000", "bases[branch-2]": "６０００"])
                #expect(saved.status == .seeOther)
                let shown = try await organizer.get(try #require(saved.headers.first(name: .location))).body.string
                #expect(shown.contains("已保存 2 个支部的基数奖金"))
                #expect(shown.contains("6000 × 1.3 × (1 − "), "the formula with its own numbers")
                #expect(shown.contains("总支书记承担 60%"))

                let imported = try await organizer.upload(
                    page + "/import", field: "file", filename: "基数.csv",
                    data: Data("组织代码,基数奖金\nbranch-3,5800\nbranch-4,abc\n".utf8))
                #expect(imported.status == .unprocessableEntity)
                #expect(imported.body.string.contains("第 3 行"))
                let good = try await organizer.upload(
                    page + "/import", field: "file", filename: "基数.csv",
                    data: Data("组织代码,基数奖金\nbranch-3,5800\nbranch-4,5900.50\n".utf8))
                #expect(good.status == .seeOther)
                #expect(
                    try await Sheet.query(on: app.db).filter(\.$unitCode == "branch-4").first()?.baseBonus == "5900.5")
                #expect(try await organizer.get(page + "/print").body.string.contains("财务经办"))

                let secretary = try await Browser.signedIn(app, "zhibu2", on: page)
                let own = try await secretary.get(page).body.string
                #expect(own.contains("机关第二党支部") && !own.contains("机关第一党支部"), "a secretary sees only their own line")
                #expect(!own.contains("name=\"bases["), "and cannot set it")
                #expect(try await secretary.post(page + "/bases", form: ["bases[branch-2]": "0"]).status == .forbidden)
                #expect(try await secretary.get(page + "/print").status == .notFound)
                let member = try await Browser.signedIn(app, "dangyuan1", on: "/")
                #expect(try await member.get(page).status == .forbidden)
            }
        }

        @Test func 七一_settingABaseIsAudited() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await Self.putBases(&api, [["unit": "branch-1", "amount": 6000]])
                try await Self.putBases(&api, [["unit": "branch-1", "amount": 6000]])
                let events = try await AuditEvent.query(on: app.db).filter(\.$action == "penalty.base").all()
                #expect(events.count == 1, "an unchanged base writes nothing")
                #expect(events.first?.subject == "sheet:2026Q3/branch-1")
                #expect(try await AuditLog.verify(on: app.db).firstBreak == nil)
            }
        }
    }
}
