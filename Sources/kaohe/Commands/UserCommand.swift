import ArgumentParser
import Foundation
import KaoheServer

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "管理用户 Manage users.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "创建用户 Create a user; the password is read from KAOHE_NEW_PASSWORD or the first line of stdin.",
            discussion: "示例 Example:  echo '一个足够长的密码' | kaohe user create admin --role admin --unit general"
        )

        @Argument(help: "用户名 Username ([a-z0-9_.-], 2–32).")
        var username: String

        @Option(help: "显示名称 Display name (default: the username).")
        var displayName: String?

        @Option(
            help:
                "角色 Role: admin, organizer, panelMember, panelLeader, approver, deputySecretary, branchSecretary, committeeMember, groupLeader, member."
        )
        var role: String?

        @Option(help: "角色所在组织代码 Unit code the role applies to (e.g. general, branch-1).")
        var unit = "general"

        func run() async throws {
            let password =
                ProcessInfo.processInfo.environment["KAOHE_NEW_PASSWORD"] ?? readLine(strippingNewline: true) ?? ""
            try await reportingSettingsErrors {
                try await KaoheServerApp.withApplication(settings: .fromEnvironment()) { app in
                    try await app.autoMigrate()
                    try await Accounts.create(
                        username: username, displayName: displayName ?? username, password: password,
                        roles: role.map { [($0, unit)] } ?? [], actor: "cli", on: app)
                    print("已创建用户 Created user \(username)")
                }
            }
        }
    }
}
