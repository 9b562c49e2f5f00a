import Foundation

/// Deadlines of one assessment period (an extension section of the rubric file, `schedule:`).
/// Days count in the first month of the next quarter: self-report by day 10, panel review by day 15.
public struct Schedule: Sendable, Equatable {
    public var selfReportDay: Int
    public var panelReviewDay: Int
    /// Days after publication during which a unit may file one objection (申诉).
    public var objectionDays: Int

    public init(selfReportDay: Int, panelReviewDay: Int, objectionDays: Int) {
        self.selfReportDay = selfReportDay
        self.panelReviewDay = panelReviewDay
        self.objectionDays = objectionDays
    }

    public static let standard = Schedule(selfReportDay: 10, panelReviewDay: 15, objectionDays: 7)
}
