import ArgumentParser
import Foundation
import KaoheServer

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "导入组织 Import the org tree from a CSV, all rows or none, with progress.",
        discussion: """
            读取与 serve 相同的环境变量（KAOHE_DATA_DIR 或 DATABASE_URL）。CSV 为 UTF-8 或 GBK（Excel、WPS 另存为 CSV 即可），
            列与“组织管理”页的导入相同：类型、代码、名称、上级代码，可选 职务、入党日期、中层。逐行检查，有任何一行不对就一行也不导入，
            并列出每一处问题的行号；全部无误时在一个事务里导入，每个单位记入审计日志。
            Reads the same environment as serve. Columns: kind, code, name, parent [, position, joinedOn, midLevel];
            the kind as general/branch/group/member or 党总支/党支部/党小组/党员. Checked row by row; any bad row and nothing is
            imported, each problem named with its row.
            """
    )

    @Argument(help: "CSV 文件 The org tree, e.g. 组织.csv")
    var file: String

    func run() async throws {
        let started = Date()
        try await reportingSettingsErrors {
            do {
                let summary = try await KaoheServerApp.importOrg(
                    settings: .fromEnvironment(), from: file, progress: ProgressBar().update)
                print("\(summary)，用时 in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            } catch let problem as KaoheServerApp.ImportProblem {
                throw SettingsError("导入失败 Import failed: \(problem.description)")
            }
        }
    }
}
