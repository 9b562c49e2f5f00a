import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 28, the org CSV as an update: importing the tree again shows what would change as a preview, and applies
    /// all of it or nothing, each change audited as if made by hand.
    @Suite struct OrgUpdateTests {
        static func name(_ app: Application, _ code: String) async throws -> String {
            try #require(try await Unit.query(on: app.db).filter(\.$code == code).first()).name
        }

        /// A file that moves a member, renames a branch, transfers one out and one in, and retires a group whose
        /// three members it moves first.
        static func update(_ app: Application, retiring: Bool = true) async throws -> String {
            var lines = ["类型,代码,名称,上级代码,生效日期,变动,说明"]
            lines.append("党支部,branch-2,综合党支部,general,2026-11-01,,机构改革")
            lines.append(
                "党员,branch-1-group-1-member-1,\(try await name(app, "branch-1-group-1-member-1")),branch-1-group-2,2026-11-01,,"
            )
            lines.append(
                "党员,branch-1-group-1-member-2,\(try await name(app, "branch-1-group-1-member-2")),branch-1-group-1,2026-11-10,转出,市教育局机关党支部"
            )
            lines.append("党员,newcomer,新来的党员,branch-2-group-1,2026-11-15,转入,市财政局机关党支部")
            if retiring {
                for member in 1...3 {
                    let code = "branch-3-group-1-member-\(member)"
                    lines.append("党员,\(code),\(try await name(app, code)),branch-3-group-2,2026-11-01,,")
                }
                lines.append(
                    "党小组,branch-3-group-1,\(try await name(app, "branch-3-group-1")),branch-3,2026-11-02,撤销,合并")
            }
            return lines.joined(separator: "\n")
        }

        static func upload(_ admin: Browser, _ csv: String) async throws -> TestingHTTPResponse {
            try await admin.upload("/admin/org/import", field: "file", filename: "组织.csv", data: Data(csv.utf8))
        }

        static func hidden(_ html: String, _ name: String) -> String? {
            guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }

        @Test func theTreeImportedAgainShowsWhatWouldChangeAndAppliesAllOfIt() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let admin = try await Browser.signedIn(app, "admin", on: "/admin/org")
                let events = try await AuditEvent.query(on: app.db).count()
                let preview = try await Self.upload(admin, try await Self.update(app))
                let html = preview.body.string
                #expect(preview.status == .ok)
                for label in ["更名", "调整党小组", "转出", "转入", "撤销"] { #expect(html.contains(label), "\(label)") }
                // nothing is done before the confirmation
                #expect(try await Self.name(app, "branch-2") != "综合党支部")
                #expect(try await AuditEvent.query(on: app.db).count() == events)

                let confirmed = try await admin.post(
                    "/admin/org/import/confirm",
                    form: [
                        "token": try #require(Self.hidden(html, "token")),
                        "digest": try #require(Self.hidden(html, "digest")),
                    ])
                #expect(confirmed.status == .ok && confirmed.body.string.contains("已导入"), "\(confirmed.body.string)")
                #expect(try await Self.name(app, "branch-2") == "综合党支部")
                let moved = try #require(
                    try await Unit.query(on: app.db).filter(\.$code == "branch-1-group-1-member-1").first())
                #expect(moved.parentCode == "branch-1-group-2")
                let out = try #require(
                    try await Unit.query(on: app.db).filter(\.$code == "branch-1-group-1-member-2").first())
                #expect(out.leftOn == "2026-11-10")
                let retired = try #require(
                    try await Unit.query(on: app.db).filter(\.$code == "branch-3-group-1").first())
                #expect(retired.leftOn == "2026-11-02")
                let arrival = try #require(
                    try await Membership.query(on: app.db).filter(\.$memberCode == "newcomer").first())
                #expect(arrival.beganBy == .transferIn && arrival.from == "2026-11-15")
                // each change audited as if made by hand
                let actions = try await AuditEvent.query(on: app.db).filter(\.$seq > events).all().map(\.action)
                for action in ["unit.change", "membership.change", "unit.retire", "unit.create"] {
                    #expect(actions.contains(action), "\(action)")
                }
                // the same file again changes nothing
                let again = try await Self.upload(admin, "类型,代码,名称,上级代码\n党支部,branch-2,综合党支部,general\n")
                #expect(again.body.string.contains("没有需要变动"))
            }
        }

        @Test func aPreviewIsConfirmedOnlyAsShown() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let admin = try await Browser.signedIn(app, "admin", on: "/admin/org")
                let html = try await Self.upload(admin, try await Self.update(app, retiring: false)).body.string
                // meanwhile the member is moved by hand, from the same day
                var api = QuarterAPI(app)
                #expect(
                    try await MembershipTests.change(
                        &api, ["action": "move", "to": "branch-1-group-2", "date": "2026-11-01"],
                        member: "branch-1-group-1-member-1"
                    ).status == .ok)
                let stale = try await admin.post(
                    "/admin/org/import/confirm",
                    form: [
                        "token": try #require(Self.hidden(html, "token")),
                        "digest": try #require(Self.hidden(html, "digest")),
                    ])
                #expect(stale.status == .conflict && stale.body.string.contains("重新核对"), "\(stale.status)")
                #expect(try await Self.name(app, "branch-2") != "综合党支部", "nothing applied")
                // a forged token reads nothing from the disk
                let forged = try await admin.post(
                    "/admin/org/import/confirm", form: ["token": "../../etc/passwd", "digest": "x"])
                #expect(forged.status == .conflict && forged.body.string.contains("过期"))
            }
        }

        @Test func oneLineThatCannotBeDoneImportsNothing() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let admin = try await Browser.signedIn(app, "admin", on: "/admin/org")
                // a date missing where a change needs one: refused when checked, naming the line
                let undated = try await Self.upload(
                    admin,
                    "类型,代码,名称,上级代码\n党员,branch-1-group-1-member-1,\(try await Self.name(app, "branch-1-group-1-member-1")),branch-1-group-2\n"
                )
                #expect(undated.status == .unprocessableEntity && undated.body.string.contains("第 2 行"))
                // a group retired with its members still inside: found when done, and the rename before it undone
                let csv = """
                    类型,代码,名称,上级代码,生效日期,变动,说明
                    党支部,branch-2,综合党支部,general,2026-11-01,,
                    党小组,branch-3-group-1,\(try await Self.name(app, "branch-3-group-1")),branch-3,2026-11-02,撤销,合并
                    """
                let html = try await Self.upload(admin, csv).body.string
                let refused = try await admin.post(
                    "/admin/org/import/confirm",
                    form: [
                        "token": try #require(Self.hidden(html, "token")),
                        "digest": try #require(Self.hidden(html, "digest")),
                    ])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("第 3 行"))
                #expect(try await Self.name(app, "branch-2") != "综合党支部")
                #expect(try await UnitChange.query(on: app.db).count() == 0)
            }
        }
    }
}
