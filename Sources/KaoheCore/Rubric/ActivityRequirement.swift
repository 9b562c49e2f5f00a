import Foundation

/// A kind of record in the activity ledger (活动台账) that the rubric counts.
public enum ActivityType: String, Sendable, CaseIterable, Codable {
    case memberMeeting, committeeMeeting, groupMeeting, partyLecture, studySession, democraticLife
    case branchActivity, infoReport, visit, talk, ideologyAnalysis, duesHandover
}

/// How often an activity must take place, and the deduct rule that applies when it falls short
/// (an extension section of the rubric file, `requirements:`). At least one frequency is given; each names the
/// span it counts over, as the 细则's text does: 全年不少于N次 over the year, 每半年 over the half, 每季 over the
/// quarter, 每月 over the month, and a weekly day (周三的固定学习日) over each week.
public struct ActivityRequirement: Sendable, Equatable {
    public var activity: ActivityType
    public var perYear: Int?
    public var perHalfYear: Int?
    public var perQuarter: Int?
    public var perMonth: Int?
    public var perWeek: Int?
    /// The day of the week a weekly requirement is held on, 1 (Monday) to 7: a week belongs to the quarter its
    /// day falls in. A session held on another day of the same week counts for it (a holiday moves it).
    public var weekday: Int?
    /// Counted for each 党小组 of a branch by itself (党小组会, 组织活动), so one group's meetings never hide
    /// another's gap; a branch without groups counts its own records.
    public var eachGroup: Bool
    /// The id of an existing deduct rule.
    public var rule: String

    public init(
        activity: ActivityType, perYear: Int? = nil, perQuarter: Int? = nil, perHalfYear: Int? = nil,
        perMonth: Int? = nil, perWeek: Int? = nil, weekday: Int? = nil, eachGroup: Bool = false, rule: String
    ) {
        self.activity = activity
        self.perYear = perYear
        self.perHalfYear = perHalfYear
        self.perQuarter = perQuarter
        self.perMonth = perMonth
        self.perWeek = perWeek
        self.weekday = weekday
        self.eachGroup = eachGroup
        self.rule = rule
    }

    /// What the requirement asks of each window of `span`, nil when it says nothing of that span.
    public func needed(per span: LedgerSpan) -> Int? {
        switch span {
        case .week: perWeek
        case .month: perMonth
        case .quarter: perQuarter
        case .half: perHalfYear
        case .year: perYear
        }
    }

    /// The spans it counts over, finest first.
    public var spans: [LedgerSpan] { LedgerSpan.allCases.filter { needed(per: $0) != nil } }

    /// How the 细则 says it: 每周三不少于 1 次，全年不少于 4 次.
    public var frequency: String {
        spans.map { span in
            let count = needed(per: span) ?? 0
            if span == .week, let weekday {
                return "每周\(CalendarDay.weekdayNames[weekday - 1])不少于 \(count) 次"
            }
            return "\(span.label)不少于 \(count) 次"
        }.joined(separator: "，") + (eachGroup ? "（各党小组分别计）" : "")
    }
}

extension ActivityType {
    /// The name the ledger and the sheets use (办法 细则 2.1, 2.2, 2.7, 2.8, 2.10, 3.3).
    public var label: String {
        switch self {
        case .memberMeeting: "党员大会"
        case .committeeMeeting: "支委会"
        case .groupMeeting: "党小组会"
        case .partyLecture: "党课"
        case .studySession: "学习日"
        case .democraticLife: "民主生活会（组织生活会）"
        case .branchActivity: "组织活动"
        case .infoReport: "信息上报"
        case .visit: "走访慰问"
        case .talk: "谈心谈话"
        case .ideologyAnalysis: "思想状况分析"
        case .duesHandover: "党费上交"
        }
    }
}
