import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 28, find a person: one search box finds members, units and users by name or code, within what the caller
    /// may read, and a member's page (档案) shows their whole history.
    @Suite struct SearchTests {
        struct Hit: Decodable {
            let kind: String
            let code: String
            let name: String
            let link: String
            let note: String?
        }

        static func search(_ api: inout QuarterAPI, _ q: String, as user: String) async throws -> [Hit] {
            let query = q.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!
            let response = try await api.call(.GET, "/api/v1/search?q=\(query)", as: user)
            #expect(response.status == .ok, "\(response.body.string)")
            return try response.content.decode([Hit].self)
        }

        @Test func eachFindsOnlyWhatTheyMayRead() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                // a secretary finds the members of their own branch, never another's
                let secretarys = try await Self.search(&api, "member", as: "zhibu1")
                #expect(!secretarys.isEmpty && secretarys.allSatisfy { $0.code.hasPrefix("branch-1-") })
                // the organizer finds every branch's, and no users; the admin finds users too
                let organizers = try await Self.search(&api, "member", as: "zuzhi")
                #expect(Set(organizers.map { $0.code.prefix(8) }).count == 4)
                #expect(try await Self.search(&api, "zhibu", as: "zuzhi").allSatisfy { $0.kind != "user" })
                let users = try await Self.search(&api, "zhibu", as: "admin").filter { $0.kind == "user" }
                #expect(users.map(\.code).contains("zhibu1"))
                // a member finds themself by name, and not their fellow members
                let own = try #require(
                    try await Unit.query(on: app.db).filter(\.$code == "branch-1-group-1-member-3").first())
                let fellow = try #require(
                    try await Unit.query(on: app.db).filter(\.$code == "branch-1-group-1-member-1").first())
                #expect(try await Self.search(&api, own.name, as: "dangyuan1").map(\.code) == [own.code])
                #expect(try await Self.search(&api, fellow.name, as: "dangyuan1").isEmpty)
                // the link opens the member's page for whoever found it
                let found = try #require(try await Self.search(&api, own.name, as: "zhibu1").first)
                let page = try await Browser.signedIn(app, "zhibu1", on: found.link).get(found.link)
                #expect(page.status == .ok && page.body.string.contains(own.name))
            }
        }

        @Test func anEmptyOrHugeSearchIsRefusedNamingQ() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for q in ["", "%20%20", String(repeating: "a", count: 101)] {
                    let response = try await api.call(.GET, "/api/v1/search?q=\(q)", as: "zuzhi")
                    #expect(response.status == .unprocessableEntity, "\(q.prefix(10))")
                    #expect(try response.content.decode(ErrorBody.self).reason.hasPrefix("q"))
                }
                #expect(try await api.call(.GET, "/api/v1/search", as: "zuzhi").status == .unprocessableEntity)
                let page = try await Browser.signedIn(app, "zuzhi", on: "/search").get("/search?q=%20")
                #expect(page.status == .ok && page.body.string.contains("field-error"))
            }
        }

        @Test func aMembersPageShowsTheirWholeHistory() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let member = MembershipTests.member
                let out = try await MembershipTests.change(
                    &api, ["action": "transferOut", "date": "2026-11-01", "destination": "市财政局机关第二党支部"])
                #expect(out.status == .ok)
                let page = try await Browser.signedIn(app, "zhibu1", on: "/units/\(member)/record")
                    .get("/units/\(member)/record")
                let html = page.body.string
                #expect(page.status == .ok)
                #expect(html.contains("组织关系") && html.contains("转出") && html.contains("市财政局机关第二党支部"))
                #expect(html.contains("历次考核") && html.contains("/periods/2026Q3/sheets/\(member)"))
                #expect(html.contains("已于 2026-11-01 离开"))
                // found by search even after they left, marked so
                let hit = try #require(try await Self.search(&api, member, as: "zuzhi").first { $0.code == member })
                #expect(hit.note?.contains("2026-11-01") == true)
                // another branch's secretary does not read it
                let other = try await Browser.signedIn(app, "zhibu2", on: "/").get("/units/\(member)/record")
                #expect(other.status == .forbidden)
            }
        }
    }
}
