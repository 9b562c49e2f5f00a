import ArgumentParser
import Foundation
import KaoheServer

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "生成模拟局 Fill an empty database with a synthetic bureau system, for benchmarks.",
        discussion: """
            读取与 serve 相同的环境变量（KAOHE_DATA_DIR 或 DATABASE_URL），数据库必须是空的。生成：党总支 general →
            branch-1 … branch-N → branch-N-group-G → 党员；演示的党总支用户（zuzhi、kaohe1、shuji …）与每个支部的书记
            zhibu-N（密码 kaohe-demo）；KAOHE_ADMIN_PASSWORD 给出时另建 admin；2026Q1–Q3 已公布并有三级记录，2026Q4 在自查中；
            全年台账。
            Reads the same environment as serve; the database must be empty. 1,000 branches × 5 groups × 10 members
            is the benchmarks' size (scripts/bench).
            """
    )

    @Option(help: "党支部数 Branches under the general branch.")
    var branches: Int

    @Option(help: "每个支部的党小组数 Groups a branch.")
    var groupsPerBranch = 5

    @Option(help: "每个党小组的党员数 Members a group.")
    var membersPerGroup = 10

    func validate() throws {
        guard (1...100_000).contains(branches) else { throw ValidationError("--branches 应在 1–100000 之间 (1–100000)") }
        guard (1...50).contains(groupsPerBranch) else { throw ValidationError("--groups-per-branch 应在 1–50 之间 (1–50)") }
        guard (1...100).contains(membersPerGroup) else {
            throw ValidationError("--members-per-group 应在 1–100 之间 (1–100)")
        }
    }

    func run() async throws {
        let bar = ProgressBar()
        let started = Date()
        try await reportingSettingsErrors {
            let made = try await KaoheServerApp.generate(
                settings: .fromEnvironment(),
                shape: BureauShape(
                    branches: branches, groupsPerBranch: groupsPerBranch, membersPerGroup: membersPerGroup),
                progress: bar.update)
            print("已生成 generated: \(made)，用时 in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        }
    }
}
