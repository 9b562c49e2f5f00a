/// 细则 2.3: 及时制订和上报本支部年度工作计划、学习教育计划、党员发展计划和“凝聚力”工程计划 … 及时上报年度工作总结.
public enum DocumentKind: String, Sendable, CaseIterable, Codable {
    case workPlan, studyPlan, developmentPlan, cohesionPlan, workSummary

    public var label: String {
        switch self {
        case .workPlan: "年度工作计划"
        case .studyPlan: "学习教育计划"
        case .developmentPlan: "党员发展计划"
        case .cohesionPlan: "“凝聚力”工程计划"
        case .workSummary: "年度工作总结"
        }
    }
}

/// When a document of the year is due (a `documents:` line of the rubric): by `month`/`day` of its own year.
public struct DocumentRequirement: Sendable, Equatable {
    public var kind: DocumentKind
    public var month: Int
    public var day: Int

    public init(kind: DocumentKind, month: Int, day: Int) {
        self.kind = kind
        self.month = month
        self.day = day
    }

    /// The due day in `year` (a day past the month's end is its last day).
    public func due(in year: Int) -> CalendarDay {
        CalendarDay(year: year, month: month, day: min(day, CalendarDay.days(in: month, of: year)))!
    }
}

/// The rubric's documents: what is due when, and the deduct rules for one missing (2.3.a 每缺一项) and one late
/// (2.3.b 未按规定时间上报每次).
public struct DocumentPolicy: Sendable, Equatable {
    public var missingRule: String
    public var lateRule: String?
    public var due: [DocumentRequirement]

    public init(missingRule: String, lateRule: String?, due: [DocumentRequirement]) {
        self.missingRule = missingRule
        self.lateRule = lateRule
        self.due = due
    }
}

public enum DocumentCheck {
    public struct Finding: Sendable, Equatable {
        public enum State: String, Sendable { case missing, late }
        public var kind: DocumentKind
        public var state: State
        public var due: CalendarDay

        public init(kind: DocumentKind, state: State, due: CalendarDay) {
            self.kind = kind
            self.state = state
            self.due = due
        }
    }

    /// Where one plan or summary stands as of a day (细则 2.3).
    public enum Standing: String, Sendable {
        case reported, late, missing, notDue

        public var label: String {
            switch self {
            case .reported: "已上报"
            case .late: "逾期上报"
            case .missing: "未上报（已过期）"
            case .notDue: "未到期"
            }
        }
    }

    /// Reported on `submitted` (nil: not yet) against its day `due` (nil: the rubric sets none), as of `asOf`: a
    /// report after `asOf` is not yet made.
    public static func standing(submitted: CalendarDay?, due: CalendarDay?, asOf: CalendarDay) -> Standing {
        if let day = submitted, day <= asOf { return due.map { day > $0 } == true ? .late : .reported }
        return due.map { asOf > $0 } == true ? .missing : .notDue
    }

    /// The findings `quarter`'s sheet is offered: each document due in the quarter, missing once its day has passed
    /// (as of `asOf`) or submitted after it.
    public static func findings(
        _ policy: DocumentPolicy, quarter: Quarter, submitted: [DocumentKind: CalendarDay],
        asOf: CalendarDay
    ) -> [Finding] {
        policy.due.compactMap { requirement in
            let due = requirement.due(in: quarter.year)
            guard Quarter(of: due) == quarter else { return nil }
            switch standing(submitted: submitted[requirement.kind], due: due, asOf: asOf) {
            case .late: return Finding(kind: requirement.kind, state: .late, due: due)
            case .missing: return Finding(kind: requirement.kind, state: .missing, due: due)
            case .reported, .notDue: return nil
            }
        }
    }
}
