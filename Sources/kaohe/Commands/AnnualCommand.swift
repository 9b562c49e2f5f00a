import ArgumentParser
import Foundation
import KaoheCore

struct AnnualCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annual",
        abstract: "年终评比：综合季度分、自评、互评与考核组考评并排名 / Rank units for the yearly award.",
        discussion: """
            输入为 JSON：{ "units": [ { "unit", "quarters": [四个季度总分], "bonus", "self", "peer": { "评价单位": 分 }, \
            "panel", "vetoed" } ] }。被取消评比资格的单位排在最后，不被推荐。
            composite = w.quarterly × yearly / maxScore × 100 + w.self × self + w.peer × peer + w.panel × panel, \
            weights from the rubric's annual section. Ties go to the higher bonus, then to the unit name. Problems are \
            printed on stderr, one per line, with exit code 1.
            """
    )

    @OptionGroup var files: ContractFiles

    func run() throws {
        try files.run(Contract.annual)
    }
}
