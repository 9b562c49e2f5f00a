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
