import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    @Suite struct OrgTreeTests {
        @Test func demoBureauHasTheContractsTree() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let units = try await Unit.query(on: app.db).all()
                let byCode = Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0) })
                #expect(byCode["general"]?.name == "机关党总支")
                #expect(byCode["general"]?.parentCode == nil)
                for n in 1...4 {
                    #expect(byCode["branch-\(n)"]?.kind == .branch)
                    #expect(byCode["branch-\(n)"]?.parentCode == "general")
                    for g in 1...2 {
                        #expect(byCode["branch-\(n)-group-\(g)"]?.parentCode == "branch-\(n)")
                    }
                }
                #expect(byCode["branch-1"]?.name == "机关第一党支部")
                #expect(units.filter { $0.kind == .member }.count == 24)
                #expect(units.contains { $0.kind == .member && $0.holdsMidLevelPost })
            }
        }

        @Test func unitsAPIListsTheTreeParentsFirst() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let token = try await apiToken(app, "dangyuan1", "kaohe-demo")
                try await app.testing().test(.GET, "/api/v1/units", headers: ["Authorization": "Bearer \(token)"]) {
                    res in
                    #expect(res.status == .ok)
                    let units = try res.content.decode([OrgTree.UnitRecord].self)
                    #expect(units.first?.code == "general")
                    #expect(units.first?.parent == nil)
                    #expect(res.body.string.contains(#""parent":null"#))
                    var seen = Set<String>()
                    for unit in units {
                        if let parent = unit.parent { #expect(seen.contains(parent), "\(unit.code) before \(parent)") }
                        seen.insert(unit.code)
                    }
                }
            }
        }

        /// Issue 27: a member reads their own profile and their group's roster, never a fellow member's profile.
        @Test func aMemberReadsTheirOwnProfileNotAFellowMembers() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                func status(_ unit: String, as user: String) async throws -> HTTPStatus {
                    try await api.call(.GET, "/api/v1/units/\(unit)/members", as: user).status
                }
                let own = "branch-1-group-1-member-3", fellow = "branch-1-group-1-member-1"
                let statuses = [
                    try await status(own, as: "dangyuan1"), try await status("branch-1-group-1", as: "dangyuan1"),
                    try await status(fellow, as: "dangyuan1"), try await status(fellow, as: "xiaozu1"),
                ]
                #expect(statuses == [.ok, .ok, .forbidden, .ok])
            }
        }

        @Test func unitsAPINeedsSignIn() async throws {
            try await withKaohe { app in
                try await app.testing().test(.GET, "/api/v1/units") { res in
                    #expect(res.status == .unauthorized)
                }
            }
        }

        @Test func aGroupMustHangUnderABranch() async throws {
            try await withKaohe { app in
                try await OrgTree.create(
                    Unit(code: "general", name: "机关党总支", kind: .general, parentCode: nil), actor: "test", on: app.db)
                await #expect(throws: OrgTree.Problem.self) {
                    try await OrgTree.create(
                        Unit(code: "g1", name: "小组", kind: .group, parentCode: "general"), actor: "test", on: app.db)
                }
                #expect(try await Unit.query(on: app.db).count() == 1)
            }
        }

        @Test func unitChangesAreAudited() async throws {
            try await withKaohe { app in
                try await OrgTree.create(
                    Unit(code: "general", name: "机关党总支", kind: .general, parentCode: nil), actor: "admin", on: app.db)
                let event = try #require(try await AuditEvent.query(on: app.db).first())
                #expect(event.action == "unit.create")
                #expect(event.subject == "unit:general")
                #expect(event.actor == "admin")
            }
        }
    }
}

/// Signs in through the API and returns the bearer token.
func apiToken(_ app: Application, _ username: String, _ password: String) async throws -> String {
    struct Credentials: Content { let username: String; let password: String }
    struct Token: Content { let token: String }
    var token: String?
    try await app.testing().test(
        .POST, "/api/v1/auth/token",
        beforeRequest: { req in
            try req.content.encode(Credentials(username: username, password: password), as: .json)
        }
    ) { res in
        token = try? res.content.decode(Token.self).token
    }
    return try #require(token)
}
