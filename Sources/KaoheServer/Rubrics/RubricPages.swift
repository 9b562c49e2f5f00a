import Fluent
import KaoheCore
import Vapor

/// 考核细则: every rubric with its versions, and the upload form.
struct RubricListPage: Encodable {
    struct Line: Encodable {
        let key: String
        let number: Int
        let label: String
        let title: String
        let level: String
        let createdBy: String
        let createdAt: String
        let note: String
        let latest: Bool
    }

    let chrome: PageChrome
    let lines: [Line]
    let canEdit: Bool
    let problems: [String]

    static func query(on request: Request, problems: [String] = []) async throws -> RubricListPage {
        let versions = try await RubricVersion.query(on: request.db).sort(\.$key).sort(\.$number, .descending).all()
        var seen = Set<String>()
        let chrome = try await PageChrome.make("考核细则", request)
        let authors = try await User.displayNames(of: versions.map(\.createdBy), on: request.db)
        return RubricListPage(
            chrome: chrome,
            lines: versions.map { version in
                Line(
                    key: version.key, number: version.number, label: version.label, title: version.title,
                    level: RubricPage.levelLabel(version.level),
                    createdBy: version.createdBy == "system" ? "系统" : authors[version.createdBy] ?? version.createdBy,
                    createdAt: version.createdAt.map(RubricPage.dateText) ?? "", note: version.note,
                    latest: seen.insert(version.key).inserted)
            },
            canEdit: try await Policy.mayEditRubrics(request),
            problems: problems)
    }
}

/// One version as the 细则 table, with a form to change its numbers (saved as a new version).
struct RubricPage: Encodable {
    struct Rule: Encodable {
        let id: String
        let type: String
        let text: String
        let unit: String
        let fixed: String?
        let min: String?
        let max: String?
    }

    struct Item: Encodable {
        let id: String
        let text: String
        let base: String
        let rules: [Rule]
    }

    struct Category: Encodable {
        let id: String
        let title: String
        let points: String
        let items: [Item]
    }

    struct Grade: Encodable {
        let key: String
        let label: String
        let min: String
    }

    struct Setting: Encodable {
        let field: String
        let label: String
        let value: String
    }

    struct Requirement: Encodable {
        let activity: String
        let rule: String
        let counts: [Setting]
        let note: String?
    }

    let chrome: PageChrome
    let key: String
    let number: Int
    let label: String
    let title: String
    let level: String
    let maxScore: String
    let sha256: String
    let categories: [Category]
    let grades: [Grade]
    let vetoes: [String]
    let penalty: [Setting]
    let annual: [Setting]
    /// 活动台账: each requirement's counts, by the span its text names.
    let requirements: [Requirement]
    /// A member's sheet: the rule each unexcused absence applies.
    let attendance: [String]
    /// 细则 2.3: each plan or summary with its day.
    let documents: [String]
    let canEdit: Bool
    let problems: [String]
    let saved: Bool
    /// The 修改说明 typed with a refused edit.
    let note: String

    /// The version as stored, or, after a refused edit, with the numbers as they were typed (`typed`, by field).
    static func make(
        _ version: RubricVersion, on request: Request, problems: [String] = [], saved: Bool = false,
        typed: [String: String] = [:]
    ) async throws -> RubricPage {
        let rubric = try RubricStore.rubric(of: version)
        func shown(_ field: String, _ stored: Any) -> String { typed[field] ?? "\(stored)" }
        return RubricPage(
            chrome: try await PageChrome.make(rubric.title, request),
            key: version.key, number: version.number, label: version.label, title: rubric.title,
            level: levelLabel(version.level), maxScore: "\(rubric.maxScore)", sha256: version.sha256,
            categories: rubric.categories.map { category in
                Category(
                    id: category.id, title: category.title, points: "\(category.points)",
                    items: category.items.map { item in
                        Item(
                            id: item.id, text: item.text, base: shown("base.\(item.id)", item.base),
                            rules: item.rules.map { rule in
                                switch rule.points {
                                case .fixed(let value):
                                    Rule(
                                        id: rule.id, type: rule.type.rawValue, text: rule.text,
                                        unit: rule.unit.rawValue, fixed: shown("points.\(rule.id)", value), min: nil,
                                        max: nil)
                                case .range(let min, let max):
                                    Rule(
                                        id: rule.id, type: rule.type.rawValue, text: rule.text,
                                        unit: rule.unit.rawValue, fixed: nil, min: shown("min.\(rule.id)", min),
                                        max: shown("max.\(rule.id)", max))
                                }
                            })
                    })
            },
            grades: rubric.grades.map { Grade(key: $0.key, label: $0.label, min: shown("grade.\($0.key)", $0.min)) },
            vetoes: rubric.vetoes.map { "\($0.id) \($0.text)" },
            penalty: rubric.penalty.map { p in
                [
                    Setting(field: "penalty.multiplier", label: "系数", value: shown("penalty.multiplier", p.multiplier)),
                    Setting(field: "penalty.reference", label: "基准分", value: shown("penalty.reference", p.reference)),
                    Setting(field: "penalty.rate", label: "比例", value: shown("penalty.rate", p.rate)),
                    Setting(
                        field: "penalty.generalSecretaryShare", label: "总支书记承担",
                        value: shown("penalty.generalSecretaryShare", p.generalSecretaryShare)),
                    Setting(
                        field: "penalty.deputySecretaryShare", label: "副书记承担",
                        value: shown("penalty.deputySecretaryShare", p.deputySecretaryShare)),
                ]
            } ?? [],
            annual: [
                Setting(
                    field: "annual.quarterly", label: "季度考核",
                    value: shown("annual.quarterly", rubric.annual.weights.quarterly)),
                Setting(
                    field: "annual.self", label: "自评", value: shown("annual.self", rubric.annual.weights.selfRating)),
                Setting(field: "annual.peer", label: "互评", value: shown("annual.peer", rubric.annual.weights.peer)),
                Setting(
                    field: "annual.panel", label: "考核组考评", value: shown("annual.panel", rubric.annual.weights.panel)),
            ],
            requirements: rubric.requirements.enumerated().map { index, requirement in
                Requirement(
                    activity: requirement.activity.label, rule: requirement.rule,
                    counts: RubricEdits.requirementFields.compactMap { span, field in
                        requirement.needed(per: span).map { count in
                            let day =
                                span == .week
                                ? requirement.weekday.map { "周\(CalendarDay.weekdayNames[$0 - 1])" } ?? "每周"
                                : span.label
                            return Setting(
                                field: "requirement.\(index).\(field)", label: day,
                                value: shown("requirement.\(index).\(field)", count))
                        }
                    },
                    note: requirement.eachGroup ? "各党小组分别计" : nil)
            },
            attendance: rubric.attendance.map { "无故缺席\($0.activity.label) → \($0.rule)" },
            documents: rubric.documents.map { policy in
                policy.due.map { "\($0.kind.label)：\($0.month)月\($0.day)日前上报" }
                    + ["未上报 → \(policy.missingRule)" + (policy.lateRule.map { "，逾期上报 → \($0)" } ?? "")]
            } ?? [],
            canEdit: try await Policy.mayEditRubrics(request),
            problems: problems, saved: saved, note: typed["note"] ?? "")
    }

    static func levelLabel(_ level: UnitLevel) -> String { Unit.Kind(level).label }

    static func dateText(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().dateSeparator(.dash))
    }
}
