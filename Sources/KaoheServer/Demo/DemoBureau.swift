import Fluent
import Vapor

/// The demo bureau of `contracts/api.md`: 机关党总支 with four branches, their groups and members,
/// and one user for every role. Only `kaohe serve --demo` ever creates it.
enum DemoBureau {
    static let password = "kaohe-demo"
    static let rootUnit = "general"

    struct DemoUser {
        let username: String
        let displayName: String
        let role: Role
        let unit: String
    }

    static let users: [DemoUser] = [
        DemoUser(username: "admin", displayName: "系统管理员", role: .admin, unit: rootUnit),
        DemoUser(username: "zuzhi", displayName: "周组织（组织委员）", role: .organizer, unit: rootUnit),
        DemoUser(username: "kaohe1", displayName: "高考核（考核小组组长）", role: .panelLeader, unit: rootUnit),
        DemoUser(username: "kaohe2", displayName: "何考评（考核小组成员）", role: .panelMember, unit: rootUnit),
        DemoUser(username: "shuji", displayName: "孙书记（总支书记）", role: .approver, unit: rootUnit),
        DemoUser(username: "fushuji", displayName: "傅副书记（总支副书记）", role: .deputySecretary, unit: rootUnit),
        DemoUser(username: "zhibu1", displayName: "张一（第一支部书记）", role: .branchSecretary, unit: "branch-1"),
        DemoUser(username: "zhibu2", displayName: "王二（第二支部书记）", role: .branchSecretary, unit: "branch-2"),
        DemoUser(username: "zhibu3", displayName: "李三（第三支部书记）", role: .branchSecretary, unit: "branch-3"),
        DemoUser(username: "zhibu4", displayName: "赵四（第四支部书记）", role: .branchSecretary, unit: "branch-4"),
        DemoUser(username: "xiaozu1", displayName: "陈小组（第一支部第一党小组长）", role: .groupLeader, unit: "branch-1-group-1"),
        DemoUser(username: "dangyuan1", displayName: "刘党员", role: .member, unit: "branch-1-group-1"),
    ]

    static func seed(on app: Application) async throws {
        // Every demo user shares one password, so one Bcrypt hash serves them all.
        let hash = try await app.password.async.hash(password)
        try await app.db.transaction { db in
            for user in users {
                try await Accounts.create(
                    username: user.username, displayName: user.displayName, passwordHash: hash,
                    roles: [(user.role.rawValue, user.unit)], on: db)
            }
        }
    }
}
