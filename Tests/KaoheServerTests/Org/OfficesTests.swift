import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 28, offices have dates: a new 支部书记 takes over from a day, the old one's record kept; the 扣奖 of
    /// each quarter names whoever held the office in it, and a base entered once carries while they hold it.
    @Suite struct OfficesTests {
        static func grantID(_ app: Application, _ username: String, _ role: Role) async throws -> UUID {
            let user = try #require(try await User.query(on: app.db).filter(\.$username == username).first())
            return try #require(
                try await RoleGrant.query(on: app.db).filter(\.$user.$id == user.requireID()).filter(\.$role == role)
                    .first()?.requireID())
        }

        @Test func 七一_aNewSecretaryInQ3IsNamedInQ3sPenaltiesAndTheOldOneInQ2s() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                try await Accounts.create(
                    username: "xinshuji", displayName: "新书记",
                    passwordHash: try app.password.hash(DemoBureau.password), roles: [], actor: "test", on: app.db)
                let old = try #require(try await User.query(on: app.db).filter(\.$username == "zhibu1").first())
                let admin = try await Browser.signedIn(app, "admin", on: "/admin/users")
                // act: the new one first, while the old one is still in office: refused, naming the overlap
                let overlapping = try await admin.post(
                    "/admin/users/xinshuji/roles",
                    form: ["role": "branchSecretary", "unit": "branch-1", "from": "2026-08-11"])
                #expect(overlapping.body.string.contains(old.displayName), "\(overlapping.status)")
                #expect(
                    try await RoleGrant.query(on: app.db).filter(\.$unitCode == "branch-1")
                        .filter(\.$role == .branchSecretary).count() == 1)
                // the old one leaves on 10 August, the new one takes over on the 11th
                let grant = try await Self.grantID(app, "zhibu1", .branchSecretary)
                let ended = try await admin.post(
                    "/admin/users/zhibu1/roles/\(grant.uuidString)/revoke", form: ["date": "2026-08-10"])
                #expect(ended.status == .seeOther, "\(ended.body.string)")
                let taken = try await admin.post(
                    "/admin/users/xinshuji/roles",
                    form: ["role": "branchSecretary", "unit": "branch-1", "from": "2026-08-11"])
                #expect(taken.status == .seeOther, "\(taken.body.string)")

                // check: the old one's record stays, with its dates; their office gives nothing today
                var api = QuarterAPI(app)
                let history = try await api.call(.GET, "/api/v1/units/branch-1/history", as: "zuzhi").body.string
                #expect(history.contains("\"to\":\"2026-08-10\"") && history.contains("\"from\":\"2026-08-11\""))
                #expect(
                    try await api.call(.GET, "/api/v1/units/branch-1/activities", as: "zhibu1").status == .forbidden)
                #expect(try await api.call(.GET, "/api/v1/units/branch-1/activities", as: "xinshuji").status == .ok)

                // 扣奖: Q2 names the old secretary, Q3 (held by the new one for most of it) the new one
                let q2 = try await Sheets.open(Quarter(code: "2026Q2")!, actor: "zuzhi", on: app.db)
                let q3 = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
                let zuzhi = try #require(try await User.query(on: app.db).filter(\.$username == "zuzhi").first())
                try await Penalties.setBases(
                    [.init(unit: "branch-1", amount: "6000"), .init(unit: "branch-2", amount: "5000")], of: q2,
                    by: zuzhi,
                    on: app.db)
                let second = try await Penalties.document(of: q2, on: app.db)
                let third = try await Penalties.document(of: q3, on: app.db)
                #expect(second.secretaries.first { $0.unit == "branch-1" }?.person == old.displayName)
                #expect(third.secretaries.first { $0.unit == "branch-1" }?.person == "新书记")
                // a base carries to the next quarter while the same secretary holds the office, and not to a successor
                let carried = try #require(third.secretaries.first { $0.unit == "branch-2" })
                #expect(carried.baseBonus == 5000 && carried.baseFrom == "2026Q2")
                let successor = try #require(third.secretaries.first { $0.unit == "branch-1" })
                #expect(successor.baseBonus == 0 && successor.baseFrom == nil)
                #expect(third.general.generalSecretaryPerson != nil)
            }
        }

        @Test func anOfficeEndsOnceAndNotBeforeItBegan() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let admin = try await Browser.signedIn(app, "admin", on: "/admin/users")
                try await Accounts.create(
                    username: "xinshuji", displayName: "新书记",
                    passwordHash: try app.password.hash(DemoBureau.password), roles: [], actor: "test", on: app.db)
                let grant = try await Self.grantID(app, "zhibu1", .branchSecretary)
                let malformed = try await admin.post(
                    "/admin/users/zhibu1/roles/\(grant.uuidString)/revoke", form: ["date": "2026-13-45"])
                #expect(malformed.status == .unprocessableEntity && malformed.body.string.contains("离任日期"))
                #expect(
                    try await admin.post(
                        "/admin/users/zhibu1/roles/\(grant.uuidString)/revoke", form: ["date": "2026-08-10"]
                    ).status == .seeOther)
                let twice = try await admin.post(
                    "/admin/users/zhibu1/roles/\(grant.uuidString)/revoke", form: ["date": "2026-09-10"])
                #expect(twice.body.string.contains("已于 2026-08-10 离任"))
                // a successor dated inside the old office is an overlap
                let early = try await admin.post(
                    "/admin/users/xinshuji/roles",
                    form: ["role": "branchSecretary", "unit": "branch-1", "from": "2026-08-01"])
                #expect(early.status == .unprocessableEntity && early.body.string.contains("离任次日"))
                #expect(
                    try await RoleGrant.query(on: app.db).filter(\.$unitCode == "branch-1")
                        .filter(\.$role == .branchSecretary).count() == 1)
            }
        }
    }
}
