import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 备案 in the browser: the branch secretary's reported group sheets on one page, filed with one confirmation.
    @Suite struct FilingPageTests {
        @Test func 四_theSecretaryFilesTheReportedGroupsFromOnePageAndReadsEachResult() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-1-group-1", as: "xiaozu1")
                let browser = try await Browser.signedIn(app, "zhibu1", on: "/periods/2026Q3/filing")
                let page = try await browser.get("/periods/2026Q3/filing")
                #expect(page.status == .ok)
                let html = page.body.string
                #expect(html.contains("机关第一党支部第一党小组") && html.contains("转交考核小组 → 考核完毕 → 审核确定 → 备案"))
                #expect(!html.contains("机关第一党支部第二党小组"), "a draft is not listed")
                #expect(!html.contains("机关第二党支部"), "another branch's groups are not the secretary's")
                let period = try await browser.get("/periods/2026Q3").body.string
                #expect(period.contains("党小组、党员考核表备案"))

                let version = try await api.sheet("branch-1-group-1").version
                // No opinion: refused beside the field, nothing moved.
                let refused = try await browser.post(
                    "/periods/2026Q3/filing", form: ["versions[branch-1-group-1]": "\(version)", "opinion": " "])
                #expect(refused.status == .unprocessableEntity)
                #expect(refused.body.string.contains("field-error"))
                #expect(try await api.sheet("branch-1-group-1").state == "submitted")

                let filed = try await browser.post(
                    "/periods/2026Q3/filing",
                    form: ["versions[branch-1-group-1]": "\(version)", "opinion": "组织生活正常。"])
                #expect(filed.status == .ok, "\(filed.body.string.prefix(500))")
                #expect(filed.body.string.contains("机关第一党支部第一党小组</strong>：已备案"))
                #expect(try await api.sheet("branch-1-group-1").state == "published")

                // The same page sent again (a double click): refused by name, nothing filed twice.
                let again = try await browser.post(
                    "/periods/2026Q3/filing",
                    form: ["versions[branch-1-group-1]": "\(version)", "opinion": "组织生活正常。"])
                #expect(again.status == .conflict)
                #expect(again.body.string.contains("未备案"))
            }
        }
    }
}
