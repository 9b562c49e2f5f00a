import ArgumentParser
import KaoheServer

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "执行数据库迁移 Run pending database migrations (serve does this too)."
    )

    func run() async throws {
        try await reportingSettingsErrors {
            try await KaoheServerApp.withApplication(settings: .fromEnvironment()) { app in
                try await app.autoMigrate()
                print("数据库已是最新 Database is up to date.")
            }
        }
    }
}
