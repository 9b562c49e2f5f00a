import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 党费 (api.md `PUT /api/v1/units/{unit}/dues/{month}`, 细则 2.8): the branch's secretary records each member's
    /// payment and the month's hand-over; what falls short is suggested on the branch's sheet and the member's.
    @Suite struct DuesAPITests {
        struct Month: Decodable {
            struct Payment: Decodable {
                let member: String; let amount: String; let due: String?; let paidOn: String?; let signed: Bool
            }
            let month: String; let handedOverOn: String?; let version: Int; let payments: [Payment]
        }

        static let members = (1...2).flatMap { g in (1...3).map { "branch-2-group-\(g)-member-\($0)" } }

        /// September: 王二 pays 30 of 50, 褚立 does not sign, 卫平 pays nothing, the month is handed over on the 20th.
        static var september: [String: Any] {
            let payments: [[String: Any]] =
                members.dropLast().enumerated().compactMap { index, member in
                    index == 2
                        ? nil
                        : [
                            "member": member, "amount": index == 0 ? "30" : 50, "due": "50", "paidOn": "2026-09-05",
                            "signed": index != 1,
                        ]
                } + [["member": members.last!, "amount": "50.00", "paidOn": "2026-09-06", "signed": true]]
            return ["payments": payments, "handedOverOn": "2026-09-20"]
        }

        @Test func theSecretaryRecordsAMonthAndTheSheetsAreOfferedWhatItLacks() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let saved = try await api.call(
                    .PUT, "/api/v1/units/branch-2/dues/2026-09", as: "zhibu2", json: Self.september)
                #expect(saved.status == .ok)
                let month = try saved.content.decode(Month.self)
                #expect(month.month == "2026-09" && month.handedOverOn == "2026-09-20" && month.payments.count == 5)
                #expect(month.payments.first?.amount == "30" && month.payments.last?.amount == "50")
                let branch = try await api.sheet("branch-2").suggestions
                let dues = try #require(branch.first { $0.rule == "2.8.a" })
                #expect(dues.count == 3 && dues.reason == "党费：9月 王二未足额；9月 卫平未交；9月党费晚于 15 日上交")
                #expect(branch.first { $0.rule == "2.8.b" }?.reason == "党费：9月 褚立未在《党费证》签字")
                // 卫平's own sheet: 3.1.a for the month she paid nothing.
                let own = try await api.sheet("branch-2-group-1-member-3", as: "zhibu2").suggestions
                #expect(own.map(\.rule) == ["3.1.a"] && own.first?.reason == "党费：9月 本人未交")
                let listed = try await api.call(.GET, "/api/v1/units/branch-2/dues?year=2026", as: "zuzhi")
                #expect(try listed.content.decode([Month].self).map(\.month).last == "2026-09")
                let audited = try await AuditEvent.query(on: app.db).filter(\.$action == "dues.record").filter(
                    \.$actor == "zhibu2"
                ).count()
                #expect(audited >= 1)
            }
        }

        @Test func badInputIsRefusedNamingTheFieldAndNothingIsStored() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await DuesRecord.query(on: app.db).filter(\.$unitCode == "branch-2").delete()
                try await DuesPaymentRecord.query(on: app.db).filter(\.$unitCode == "branch-2").delete()
                func line(_ change: [String: Any]) -> [String: Any] {
                    [
                        "payments": [
                            ["member": Self.members[0], "amount": "50", "paidOn": "2026-09-05"].merging(change) { $1 }
                        ]
                    ]
                }
                let cases: [(String, [String: Any], String)] = [
                    ("2026-13", line([:]), "month"), ("2999-01", line([:]), "month"), ("2026-9", line([:]), "month"),
                    ("2026-09", line(["amount": "-5"]), "payments[0].amount"),
                    ("2026-09", line(["amount": "五十"]), "payments[0].amount"),
                    ("2026-09", line(["amount": "1e9"]), "payments[0].amount"),
                    ("2026-09", line(["member": "branch-1-group-1-member-1"]), "payments[0].member"),
                    ("2026-09", line(["paidOn": "2999-01-01"]), "payments[0].paidOn"),
                    (
                        "2026-09",
                        [
                            "payments": [
                                ["member": Self.members[0], "amount": "50"],
                                ["member": Self.members[0], "amount": "50"],
                            ]
                        ],
                        "payments[1].member"
                    ),
                    ("2026-09", ["handedOverOn": "2026-02-30"], "handedOverOn"),
                ]
                for (month, body, field) in cases {
                    let refused = try await api.call(
                        .PUT, "/api/v1/units/branch-2/dues/\(month)", as: "zhibu2", json: body)
                    #expect(refused.status == .unprocessableEntity, "\(field) \(body)")
                    #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix(field + ":"), "\(field)")
                }
                #expect(try await DuesPaymentRecord.query(on: app.db).filter(\.$unitCode == "branch-2").count() == 0)
                #expect(
                    try await DuesRecord.query(on: app.db).filter(\.$unitCode == "branch-2").filter(\.$version > 0)
                        .count() == 0)
            }
        }

        @Test func onlyTheBranchsSecretaryRecordsAndAStaleSaveIsRefused() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let path = "/api/v1/units/branch-2/dues/2026-09"
                #expect(try await api.call(.PUT, path, as: "zhibu1", json: Self.september).status == .forbidden)
                #expect(try await api.call(.PUT, path, as: "zuzhi", json: Self.september).status == .forbidden)
                #expect(
                    try await api.call(
                        .PUT, "/api/v1/units/branch-1-group-1/dues/2026-09", as: "xiaozu1",
                        json: Self.september
                    ).status == .forbidden, "a group's dues go to its branch")
                let first = try await api.call(.PUT, path, as: "zhibu2", json: Self.september).content.decode(
                    Month.self)
                var stale = Self.september
                stale["version"] = first.version - 1
                let refused = try await api.call(.PUT, path, as: "zhibu2", json: stale)
                #expect(refused.status == .conflict)
                stale["version"] = first.version
                #expect(try await api.call(.PUT, path, as: "zhibu2", json: stale).status == .ok)
            }
        }

        @Test func secretariesSavingAtOnceAllSucceed() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let permit = try await duesPermit("zhibu2", "branch-2", on: app.db)
                let month = CalendarDay("2026-10-01")!
                let before = try await DuesRecord.query(on: app.db).count()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for n in 1...6 {
                        group.addTask {
                            let input = DuesLedger.Input(
                                payments: [
                                    .init(
                                        member: Self.members[0], amount: .init(text: "\(n)"),
                                        paidOn: "2026-10-05", signed: true)
                                ],
                                handedOverOn: nil, version: nil)
                            _ = try await DuesLedger.save(
                                input, month: month, by: permit,
                                today: CalendarDay("2026-12-01")!, on: app.db)
                        }
                    }
                    try await group.waitForAll()
                }
                let record = try #require(
                    try await DuesRecord.query(on: app.db).filter(\.$unitCode == "branch-2").filter(
                        \.$month == "2026-10"
                    ).first())
                let after = try await DuesRecord.query(on: app.db).count()
                #expect(record.version == 6 && after == before + 1, "one month, six saves, no error")
                #expect(try await DuesPaymentRecord.query(on: app.db).filter(\.$month == "2026-10").count() == 1)
            }
        }

        @Test func aMemberReadsTheirOwnDues() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let own = "/units/branch-1-group-1-member-3/ledger?year=2026"
                let member = try await Browser.signedIn(app, "dangyuan1", on: own)
                let page = try await member.get(own).body.string
                #expect(page.contains("本人党费") && page.contains("<td>2026-09</td><td class=\"num\">50</td>"))
            }
        }

        @Test func theSecretarySavesAMonthFromTheLedgerPage() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let ledger = "/units/branch-2/ledger?year=2026&month=2026-09"
                let secretary = try await Browser.signedIn(app, "zhibu2", on: ledger)
                let page = try await secretary.get(ledger).body.string
                #expect(
                    page.contains("name=\"amount[branch-2-group-1-member-1]\" value=\"50\""), "the month as recorded")
                let version = try #require(
                    try await DuesRecord.query(on: app.db).filter(\.$unitCode == "branch-2")
                        .filter(\.$month == "2026-09").first()
                ).version
                let refused = try await secretary.post(
                    "/units/branch-2/ledger/dues",
                    form: [
                        "month": "2026-09", "version": "\(version)", "amount[branch-2-group-1-member-1]": "-1",
                    ])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("金额不能为负数") && refused.body.string.contains("value=\"-1\""))
                let saved = try await secretary.post(
                    "/units/branch-2/ledger/dues",
                    form: [
                        "month": "2026-09", "version": "\(version)", "amount[branch-2-group-1-member-1]": "50",
                        "paidOn[branch-2-group-1-member-1]": "2026-09-03", "signed[branch-2-group-1-member-1]": "1",
                        "handedOverOn": "2026-09-10",
                    ])
                #expect(saved.status == .seeOther)
                let stale = try await secretary.post(
                    "/units/branch-2/ledger/dues",
                    form: [
                        "month": "2026-09", "version": "\(version)", "amount[branch-2-group-1-member-1]": "40",
                    ])
                #expect(stale.status == .conflict, "saved from the page as it was before the last save")
                let payments = try await DuesPaymentRecord.query(on: app.db).filter(\.$unitCode == "branch-2").filter(
                    \.$month == "2026-09"
                ).all()
                #expect(payments.count == 1 && payments.first?.amount == "50")
            }
        }

        @Test func aRefusedLineNamesItsMemberBesideTheirRow() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let ledger = "/units/branch-2/ledger?year=2026&month=2026-09"
                let secretary = try await Browser.signedIn(app, "zhibu2", on: ledger)
                let (first, second) = ("branch-2-group-1-member-1", "branch-2-group-1-member-2")
                let name = try #require(try await Unit.query(on: app.db).filter(\.$code == second).first()).name
                let refused = try await secretary.post(
                    "/units/branch-2/ledger/dues",
                    form: ["month": "2026-09", "amount[\(first)]": "50", "amount[\(second)]": "-1"])
                #expect(refused.status == .unprocessableEntity)
                let page = refused.body.string
                #expect(page.contains("\(name)：金额不能为负数"), "the refusal says whose line it is")
                #expect(page.contains("id=\"dues-error-\(second)\""), "and stands beside that line")
                #expect(
                    page.contains(
                        "name=\"amount[\(second)]\" value=\"-1\" aria-label=\"\(name) 交纳金额\" aria-invalid=\"true\""))
                #expect(!page.contains("id=\"dues-error-\(first)\""))
                #expect(page.contains("name=\"amount[\(first)]\" value=\"50\""), "what was typed stays")
            }
        }
    }
}
