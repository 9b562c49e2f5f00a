import Fluent
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    @Suite struct BootstrapTests {
        @Test func firstRealStartWithoutAdminPasswordStopsWithHowTo() async throws {
            await #expect {
                try await withKaohe(bootstrap: true) { _ in }
            } throws: { error in
                (error as? SettingsError)?.description.contains("KAOHE_ADMIN_PASSWORD") == true
            }
        }

        @Test func firstRealStartCreatesOnlyTheAdmin() async throws {
            try await withKaohe({ $0.adminPassword = "first-start-pass" }, bootstrap: true) { app in
                let users = try await User.query(on: app.db).all()
                #expect(users.map(\.username) == ["admin"])
                let roles = try await RoleGrant.query(on: app.db).all()
                #expect(roles.map(\.role) == [.admin])
                #expect(try await app.password.async.verify("first-start-pass", created: users[0].passwordHash))
            }
        }

        @Test func tooShortAdminPasswordIsRefused() async throws {
            await #expect {
                try await withKaohe({ $0.adminPassword = "short" }, bootstrap: true) { _ in }
            } throws: { error in
                (error as? SettingsError)?.description.contains("12") == true
            }
        }

        @Test func demoSeedsEveryDemoUserWithTheirRole() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let users = try await User.query(on: app.db).with(\.$roles).all()
                let byName = Dictionary(uniqueKeysWithValues: users.map { ($0.username, $0) })
                let expected: [String: (Role, String)] = [
                    "admin": (.admin, "general"), "zuzhi": (.organizer, "general"), "kaohe1": (.panelLeader, "general"),
                    "kaohe2": (.panelMember, "general"), "shuji": (.approver, "general"),
                    "fushuji": (.deputySecretary, "general"), "zhibu1": (.branchSecretary, "branch-1"),
                    "zhibu2": (.branchSecretary, "branch-2"), "zhibu3": (.branchSecretary, "branch-3"),
                    "zhibu4": (.branchSecretary, "branch-4"), "xiaozu1": (.groupLeader, "branch-1-group-1"),
                    "dangyuan1": (.member, "branch-1-group-1"),
                ]
                #expect(Set(byName.keys) == Set(expected.keys))
                for (name, (role, unit)) in expected {
                    let user = try #require(byName[name])
                    // The contract's role first; 刘党员 also holds his own member unit, to read his own sheet.
                    let own = DemoBureau.ownSheets[name].map { [(Role.member, $0)] } ?? []
                    let roles = user.roles.sorted { $0.unitCode < $1.unitCode }
                    #expect(roles.map(\.role) == [role] + own.map(\.0), "\(name)")
                    #expect(roles.map(\.unitCode) == [unit] + own.map(\.1), "\(name)")
                }
                #expect(try await app.password.async.verify("kaohe-demo", created: byName["zuzhi"]!.passwordHash))
            }
        }

        @Test func demoRunAgainReusesWhatIsThere() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let before = try await User.query(on: app.db).count()
                try await prepare(app)
                #expect(try await User.query(on: app.db).count() == before)
            }
        }
    }
}
