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
    /// The deduct rule a member unpaid, paying short, or a late hand-over applies (细则 2.8.a 没有及时、足额收缴).
    public var duesRule: String?
    /// The rule for a payment not signed in the 《党费证》 (细则 2.8.b 没有按月登记签字).
    public var duesSignatureRule: String?

    /// A member is assessed in a quarter when on the roster (in any of the bureau's groups) for more than this share
    /// of its days: one transferred in on its last week is not, one transferred out in its last week is.
    public var rosterShare: Decimal = 0.5

    public init(
        selfReportDay: Int, panelReviewDay: Int, objectionDays: Int, lateRule: String? = nil,
        noSelfReportRule: String? = nil
    ) {
        self.selfReportDay = selfReportDay
        self.panelReviewDay = panelReviewDay
        self.objectionDays = objectionDays
        self.lateRule = lateRule
        self.noSelfReportRule = noSelfReportRule
    }

    public static let standard = Schedule(selfReportDay: 10, panelReviewDay: 15, objectionDays: 7)
}

extension Schedule {
    /// Whether a member on the roster `daysOnRoster` of the quarter's days is assessed in it (`rosterShare`).
    public func assesses(daysOnRoster: Int, of quarter: Quarter) -> Bool {
        let days = quarter.firstDay.days(until: quarter.lastDay) + 1
        return Decimal(daysOnRoster) > rosterShare * Decimal(days)
    }
}
