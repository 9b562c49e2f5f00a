import Foundation

/// Deadlines of one assessment period (an extension section of the rubric file, `schedule:`).
/// Days count in the first month of the next quarter: self-report by day 10, panel review by day 15.
public struct Schedule: Sendable, Equatable {
    public var selfReportDay: Int
    public var panelReviewDay: Int
    /// Days after publication during which a unit may file one objection (申诉).
    public var objectionDays: Int
    /// The rubric's own deduct rule for a report made after `selfReportDay` (细则 2.4 开展考核未及时上报的):
    /// a late submission suggests it to the panel. None when the rubric has no such rule.
    public var lateRule: String?
    /// The rule for a unit that never reported (细则 2.4 没有开展自查考核的): when the organizer forwards its sheet
    /// after the deadline, it is suggested to the panel. None when the rubric has no such rule.
    public var noSelfReportRule: String?
    /// 细则 2.8: dues are handed to the organizer by this day of each month.
    public var duesDay: Int = 15

    public init(selfReportDay: Int, panelReviewDay: Int, objectionDays: Int, lateRule: String? = nil,
                noSelfReportRule: String? = nil) {
        self.selfReportDay = selfReportDay
        self.panelReviewDay = panelReviewDay
        self.objectionDays = objectionDays
        self.lateRule = lateRule
        self.noSelfReportRule = noSelfReportRule
    }

    public static let standard = Schedule(selfReportDay: 10, panelReviewDay: 15, objectionDays: 7)
}
