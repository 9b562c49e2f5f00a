import Foundation
import Testing

@testable import KaoheCore

/// An exact decimal from its digits: `dec("0.15")`. Float literals would pass through binary floating point.
func dec(_ text: String) -> Decimal {
    guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
        fatalError("not a decimal: \(text)")
    }
    return value
}

enum Fixture {
    static func data(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try data(name), as: UTF8.self)
    }

    static func tinyRubric() throws -> Rubric {
        try RubricLoader.load(yaml: try text("tiny-rubric.yaml"), file: "tiny-rubric.yaml")
    }
}

/// The package's `rubrics/` folder, found from this file's path.
enum SeedRubrics {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // KaoheCoreTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("rubrics")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    static func load(_ name: String) throws -> Rubric {
        try RubricLoader.load(yaml: try text(name), file: name)
    }
}

/// A rubric written for the tests: the regulation's grade bands (97 / 90 / 86) and penalty, and one rule of
/// each kind — fixed once, fixed each, range once, range each, bonus fixed and bonus range.
enum SampleRubric {
    static let yaml = """
        id: sample
        version: "2026.1"
        title: 测试细则
        level: branch
        maxScore: 100
        grades:
          - { key: excellent,   label: 优秀,     min: 97 }
          - { key: qualified,   label: 合格,     min: 90 }
          - { key: basic,       label: 基本合格, min: 86 }
          - { key: unqualified, label: 不合格,   min: 0 }
        categories:
          - id: "1"
            title: 组织健全，领导班子好
            items:
              - id: "1.1"
                text: 支部班子健全
                base: 2
                rules:
                  - { id: "1.1.a", type: deduct, text: 支部班子配备不全, points: 2, unit: once }
              - id: "1.4"
                text: 完成上级交办的任务
                base: 4
                rules:
                  - { id: "1.4.a", type: deduct, text: 未完成任务扣3-4分, points: [3, 4], unit: once }
                  - { id: "1.4.b", type: bonus, text: 视情加1-2分, points: [1, 2], unit: once }
              - id: "1.5"
                text: 其他
                base: 6
                rules:
                  - { id: "1.5.a", type: deduct, text: 每缺一次扣1分, points: 1, unit: each }
          - id: "2"
            title: 作风建设
            items:
              - id: "2.1"
                text: 遵守纪律
                base: 88
                rules:
                  - { id: "2.1.a", type: deduct, text: 每人次扣1-2分, points: [1, 2], unit: each }
                  - { id: "2.1.b", type: bonus, text: 获通报表扬加1分, points: 1, unit: each }
                  - { id: "2.1.c", type: deduct, text: 严重违纪扣10分, points: 10, unit: once }
        vetoes:
          - { id: V1, text: 党员有违背党的四项基本原则言行 }
          - { id: V2, text: 发生重大责任事故 }
        penalty:
          multiplier: 1.3
          reference: 90
          rate: 0.5
          grades: [basic, unqualified]
          generalSecretaryShare: 0.6
          deputySecretaryShare: 0.4
        annual:
          weights: { quarterly: 0.6, self: 0.1, peer: 0.15, panel: 0.15 }
          awards: { min: 1, max: 1 }
        """

    static func rubric() throws -> Rubric {
        try RubricLoader.load(yaml: yaml, file: "sample.yaml")
    }

    static func scorer() throws -> Scorer { Scorer(rubric: try rubric()) }
}
