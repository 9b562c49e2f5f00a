import Foundation

/// A kind of record in the activity ledger (活动台账) that the rubric counts.
public enum ActivityType: String, Sendable, CaseIterable, Codable {
    case memberMeeting, committeeMeeting, groupMeeting, partyLecture, studySession, democraticLife
    case branchActivity, infoReport, visit, talk, duesHandover
}

/// How often an activity must take place, and the deduct rule that applies when it falls short
/// (an extension section of the rubric file, `requirements:`). At least one frequency is given.
public struct ActivityRequirement: Sendable, Equatable {
    public var activity: ActivityType
    public var perYear: Int?
    public var perQuarter: Int?
    public var perHalfYear: Int?
    /// The id of an existing deduct rule.
    public var rule: String

    public init(activity: ActivityType, perYear: Int? = nil, perQuarter: Int? = nil, perHalfYear: Int? = nil, rule: String) {
        self.activity = activity
        self.perYear = perYear
        self.perQuarter = perQuarter
        self.perHalfYear = perHalfYear
        self.rule = rule
    }
}

extension ActivityType {
    /// The name the ledger and the sheets use (办法 细则 2.1, 2.8, 2.10, 3.3).
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
        case .duesHandover: "党费上交"
        }
    }
}
