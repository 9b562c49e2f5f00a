import ArgumentParser
import Foundation
import KaoheServer

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "备份 Write one portable archive of every table and evidence file, while the server keeps serving.",
        discussion: """
            读取与 serve 相同的环境变量（KAOHE_DATA_DIR、DATABASE_URL）。备份在一个快照内读取全部表，
            服务可照常使用。恢复见 kaohe restore。
            Reads the same environment as serve. Restore with `kaohe restore FILE` into an empty database of either kind.
            """
    )

    @Argument(help: "备份文件 The archive to write, e.g. kaohe-2026-12-01.zip")
    var file: String

    func run() async throws {
        try await reportingSettingsErrors {
            print(
                try await KaoheServerApp.backup(settings: .fromEnvironment(), to: file, progress: ProgressBar().update))
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract:
            "恢复 Load a backup into an empty database (SQLite or PostgreSQL), then check it and verify the audit chain.",
        discussion: """
            目标数据库由 KAOHE_DATA_DIR 或 DATABASE_URL 指定，必须是空的。SQLite 的备份可恢复到 PostgreSQL，反之亦然。
            The target is the configured database and must be empty; a backup from SQLite restores into PostgreSQL and back.
            """
    )

    @Argument(help: "备份文件 The archive written by kaohe backup")
    var file: String

    func run() async throws {
        try await reportingSettingsErrors {
            do {
                print(
                    try await KaoheServerApp.restore(
                        settings: .fromEnvironment(), from: file, progress: ProgressBar().update))
            } catch let problem as KaoheServerApp.RestoreProblem {
                throw SettingsError("恢复失败 Restore failed: \(problem.description)")
            }
        }
    }
}
