import ArgumentParser
import Foundation
import KaoheCore

struct RubricCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rubric",
        abstract: "实施细则文件工具 / Rubric file tools.",
        subcommands: [Check.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "校验实施细则并打印大纲 / Validate a rubric file and print its outline.",
            discussion: """
                校验通过时打印标题、版本、级别、满分、各类别分值与条目数、扣分/加分标准数、等级、否决项与扣奖办法；\
                否则在 stderr 逐行列出全部问题（文件:行:列），退出码为 1。
                On success prints the outline; on failure prints every problem (file:line:column) on stderr and exits 1.
                """
        )

        @Argument(help: "实施细则 YAML 文件 / The rubric YAML file.")
        var file: String

        func run() throws {
            let yaml = try InputFiles.text(atPath: file)
            do {
                let rubric = try RubricLoader.load(yaml: yaml, file: file)
                Swift.print(RubricOutline(rubric).text, terminator: "")
            } catch {
                throw InputFiles.fail(error.messages)
            }
        }
    }
}

/// The outline `kaohe rubric check` prints for a valid rubric.
struct RubricOutline {
    let rubric: Rubric

    init(_ rubric: Rubric) { self.rubric = rubric }

    var text: String {
        var lines: [String] = []
        lines.append("\(rubric.title)")
        lines.append(
            "id \(rubric.id), version \(rubric.version), level \(rubric.level.rawValue), maxScore \(rubric.maxScore)")
        lines.append("categories \(rubric.categories.count), items \(rubric.items.count):")
        for category in rubric.categories {
            lines.append("  \(category.id) \(category.title): \(category.points) points, \(category.items.count) items")
        }
        let rules = rubric.rules
        let deducts = rules.filter { $0.type == .deduct }.count
        lines.append("rules \(rules.count): deduct \(deducts), bonus \(rules.count - deducts)")
        lines.append("grades: " + rubric.grades.map { "\($0.label) (\($0.key)) ≥ \($0.min)" }.joined(separator: ", "))
        lines.append("vetoes \(rubric.vetoes.count)" + rubric.vetoes.map { "\n  \($0.id) \($0.text)" }.joined())
        if let penalty = rubric.penalty {
            lines.append(
                "penalty: baseBonus × \(penalty.multiplier) × (1 − total / \(penalty.reference)) × \(penalty.rate) for "
                    + penalty.grades.joined(separator: ", ")
                    + "; general branch \(penalty.generalSecretaryShare) / \(penalty.deputySecretaryShare)"
            )
        } else {
            lines.append("penalty: none")
        }
        let weights = rubric.annual.weights
        lines.append(
            "annual: quarterly \(weights.quarterly), self \(weights.selfRating), peer \(weights.peer), panel \(weights.panel); "
                + "awards \(rubric.annual.awards.min)–\(rubric.annual.awards.max)"
        )
        let schedule = rubric.schedule
        lines.append(
            "schedule: self-report day \(schedule.selfReportDay), panel day \(schedule.panelReviewDay), objection \(schedule.objectionDays) days"
        )
        if !rubric.requirements.isEmpty {
            lines.append("requirements \(rubric.requirements.count)")
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
