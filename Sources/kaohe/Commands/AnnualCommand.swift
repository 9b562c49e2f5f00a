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

    @Option(name: .long, help: "实施细则 YAML 文件 / The rubric YAML file.")
    var rubric: String

    @Option(name: .long, help: "输入 JSON 文件，- 为标准输入 / The input JSON file, - for stdin.")
    var input: String = "-"

    func run() throws {
        let yaml = try InputFiles.text(atPath: rubric)
        let data = try InputFiles.data(atPath: input)
        switch Contract.annual(rubricYAML: yaml, rubricFile: rubric, input: data) {
        case .success(let report): InputFiles.print(report)
        case .failure(let failure): throw InputFiles.fail(failure.messages)
        }
    }
}
