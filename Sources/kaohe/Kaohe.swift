import ArgumentParser
import KaoheServer

@main
struct Kaohe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kaohe",
        abstract: "党支部目标管理考核 Kaohe — quarterly target-management assessment of party branches.",
        discussion: """
            快速开始 Quick start:  kaohe serve --demo   然后打开 then open http://127.0.0.1:8080
            环境变量 Environment: KAOHE_DATA_DIR (默认 ./data), DATABASE_URL (postgres://…),
            KAOHE_ADMIN_PASSWORD (首次启动 first start), KAOHE_PUBLIC_URL (https://… 时 Cookie 加 Secure).
            """,
        subcommands: [
            ServeCommand.self, MigrateCommand.self, UserCommand.self, AuditCommand.self, BackupCommand.self,
            RestoreCommand.self,
            GenerateCommand.self, ImportCommand.self, ScoreCommand.self, AnnualCommand.self, RubricCommand.self,
            LedgerCommand.self,
        ]
    )

    /// ArgumentParser's own `main`, after Kaohe's concurrency is put on NIO's event loops (it must come first).
    static func main() async {
        KaoheServerApp.runConcurrencyOnEventLoops()
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
