import Foundation

/// 民主评议党员's result for one member in one year (细则 5.1, group 4.4).
public enum AppraisalResult: String, Sendable, CaseIterable, Codable {
    case excellent, qualified, basic, failed

    public var label: String {
        switch self {
        case .excellent: "优秀"
        case .qualified: "合格"
        case .basic: "基本合格"
        case .failed: "不合格"
        }
    }
}

/// 部门考核 (the department's yearly review of its staff) for one member in one year (细则 5.1).
public enum ReviewResult: String, Sendable, CaseIterable, Codable {
    case excellent, competent, basic, failed

    public var label: String {
        switch self {
        case .excellent: "优秀"
        case .competent: "称职"
        case .basic: "基本称职"
        case .failed: "不称职"
        }
    }
}

/// What an internal audit (内审) of the 党建手册 found at a branch (细则 2.5), lightest first.
public enum AuditFinding: String, Sendable, CaseIterable, Codable {
    case observation, nonconformity, major

    public var label: String {
        switch self {
        case .observation: "观察项"
        case .nonconformity: "不符合项"
        case .major: "严重不符合项"
        }
    }
}

/// The yearly facts the 细则 counts and the deduct rule each applies — an extension of the rubric file (`facts:`).
/// The year's results (民主评议, 部门考核, 满意率) are suggested on the sheet of `quarter`; a finding and an absence
/// on the sheet of the quarter of their day; the secretary's post on every quarter's.
public struct FactPolicy: Sendable, Equatable {
    /// A result's two low grades and the rule each applies (基本合格 → 5.1.a, 不合格 → 5.1.b).
    public struct LowResults: Sendable, Equatable {
        public var basic: String?
        public var failed: String?

        public init(basic: String?, failed: String?) {
            self.basic = basic
            self.failed = failed
        }
    }

    public var quarter: Int
    /// 民主评议党员.
    public var appraisal: LowResults?
    /// 部门考核.
    public var review: LowResults?
    /// The rule a 满意率 below `thresholds[satisfactionThreshold]` applies.
    public var satisfaction: String?
    public var satisfactionThreshold: String
    /// 内审 findings by kind.
    public var audit: [AuditFinding: String]
    /// The rule applied when the unit's secretary holds no 中层 post (细则 6.1).
    public var secretaryPost: String?
    /// The rule each absence without leave of a 局党组成员 from their own group's activities applies (细则 6.3).
    public var leaderAbsence: String?

    public init(
        quarter: Int = 4, appraisal: LowResults? = nil, review: LowResults? = nil, satisfaction: String? = nil,
        satisfactionThreshold: String = "satisfaction", audit: [AuditFinding: String] = [:],
        secretaryPost: String? = nil, leaderAbsence: String? = nil
    ) {
        self.quarter = quarter
        self.appraisal = appraisal
        self.review = review
        self.satisfaction = satisfaction
        self.satisfactionThreshold = satisfactionThreshold
        self.audit = audit
        self.secretaryPost = secretaryPost
        self.leaderAbsence = leaderAbsence
    }

    /// Every rule the policy names.
    public var rules: [String] {
        [
            appraisal?.basic, appraisal?.failed, review?.basic, review?.failed, satisfaction, secretaryPost,
            leaderAbsence,
        ]
        .compactMap { $0 } + AuditFinding.allCases.compactMap { audit[$0] }
    }
}

/// What a unit's yearly facts imply on its sheet of one quarter (pure: the server reads the facts, this counts them).
public enum FactCheck {
    /// The facts of one unit's year, as names and days.
    public struct Facts: Sendable {
        public var appraisals: [(member: String, result: AppraisalResult)]
        public var reviews: [(member: String, result: ReviewResult)]
        /// 党员测评基本满意率 (%), when surveyed.
        public var satisfaction: Decimal?
        public var findings: [(day: CalendarDay, finding: AuditFinding, note: String)]
        /// The secretary in office for most of the quarter and whether they hold a 中层 post (or above); nil when
        /// the office or its holder's member record is not known.
        public var secretary: (name: String, midLevel: Bool)?
        public var leaderAbsences: [(member: String, activity: ActivityType, day: CalendarDay)]

        public init(
            appraisals: [(member: String, result: AppraisalResult)] = [],
            reviews: [(member: String, result: ReviewResult)] = [], satisfaction: Decimal? = nil,
            findings: [(day: CalendarDay, finding: AuditFinding, note: String)] = [],
            secretary: (name: String, midLevel: Bool)? = nil,
            leaderAbsences: [(member: String, activity: ActivityType, day: CalendarDay)] = []
        ) {
            self.appraisals = appraisals
            self.reviews = reviews
            self.satisfaction = satisfaction
            self.findings = findings
            self.secretary = secretary
            self.leaderAbsences = leaderAbsences
        }
    }

    /// One rule's occurrences and the records behind them.
    public struct Finding: Sendable, Equatable {
        public var rule: String
        public var count: Int
        public var reason: String
    }

    public static func findings(
        in quarter: Quarter, policy: FactPolicy, thresholds: [String: Decimal], facts: Facts
    ) -> [Finding] {
        var found: [Finding] = []
        if quarter.quarter == policy.quarter {
            found += low(
                policy.appraisal, facts.appraisals.map { ($0.member, $0.result.label) },
                basic: AppraisalResult.basic.label, failed: AppraisalResult.failed.label, source: "民主评议")
            found += low(
                policy.review, facts.reviews.map { ($0.member, $0.result.label) },
                basic: ReviewResult.basic.label, failed: ReviewResult.failed.label, source: "部门考核")
            if let rule = policy.satisfaction, let rate = facts.satisfaction,
                let threshold = thresholds[policy.satisfactionThreshold], rate < threshold
            {
                found.append(Finding(rule: rule, count: 1, reason: "党员测评基本满意率 \(rate)%，低于 \(threshold)%"))
            }
        }
        for kind in AuditFinding.allCases {
            guard let rule = policy.audit[kind] else { continue }
            let lines = facts.findings.filter { $0.finding == kind && Quarter(of: $0.day) == quarter }
                .sorted { $0.day < $1.day }
            guard !lines.isEmpty else { continue }
            let listed = lines.map { $0.note.isEmpty ? "\($0.day)" : "\($0.day) \($0.note)" }.joined(separator: "；")
            found.append(Finding(rule: rule, count: lines.count, reason: "内审\(kind.label) \(lines.count) 个：\(listed)"))
        }
        if let rule = policy.secretaryPost, let secretary = facts.secretary, !secretary.midLevel {
            found.append(Finding(rule: rule, count: 1, reason: "支部书记\(secretary.name)未担任中层或相当于中层以上职务"))
        }
        if let rule = policy.leaderAbsence {
            let absences = facts.leaderAbsences.filter { Quarter(of: $0.day) == quarter }
                .sorted { ($0.day, $0.member) < ($1.day, $1.member) }
            if !absences.isEmpty {
                let listed = absences.map { "\($0.member) \($0.activity.label) \($0.day)" }.joined(separator: "、")
                found.append(
                    Finding(rule: rule, count: absences.count, reason: "局党组成员无故缺席本党小组活动：\(listed)"))
            }
        }
        return found
    }

    /// The members with a result of a low grade, under the grade's rule: one finding per grade, counting people.
    private static func low(
        _ rules: FactPolicy.LowResults?, _ results: [(String, String)], basic: String, failed: String, source: String
    ) -> [Finding] {
        guard let rules else { return [] }
        return [(rules.basic, basic), (rules.failed, failed)].compactMap { rule, grade in
            guard let rule else { return nil }
            let names = results.filter { $0.1 == grade }.map(\.0).sorted()
            return names.isEmpty
                ? nil
                : Finding(
                    rule: rule, count: names.count,
                    reason: "\(source)\(grade) \(names.count) 人：\(names.joined(separator: "、"))")
        }
    }
}
