import ArgumentParser
import Foundation
import KaoheCore

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "按实施细则计算各单位的考核分、等级与扣奖 / Score units' entries against a rubric.",
        discussion: """
            输入为 JSON：{ "units": [ { "unit", "baseBonus", "vetoes", "entries": [ { "rule", "count", "points", "case", \
            "selfFound", "corrected", "mitigation" } ] } ] }，输出每个单位的总分（不含加分）、加分、等级、扣奖，以及总支扣奖。
            Reads the input JSON (stdin by default) and prints the report JSON. Any problem in the rubric or the input \
            is printed on stderr, one per line, and the exit code is 1; nothing is printed on stdout then.
            """
    )

    @OptionGroup var files: ContractFiles

    func run() throws {
        try files.run(Contract.score)
    }
}
