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

    @Option(name: .long, help: "实施细则 YAML 文件 / The rubric YAML file.")
    var rubric: String

    @Option(name: .long, help: "输入 JSON 文件，- 为标准输入 / The input JSON file, - for stdin.")
    var input: String = "-"

    func run() throws {
        let yaml = try InputFiles.text(atPath: rubric)
        let data = try InputFiles.data(atPath: input)
        switch Contract.score(rubricYAML: yaml, rubricFile: rubric, input: data) {
        case .success(let report): InputFiles.print(report)
        case .failure(let failure): throw InputFiles.fail(failure.messages)
        }
    }
}
