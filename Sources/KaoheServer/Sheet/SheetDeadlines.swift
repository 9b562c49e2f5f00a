import KaoheCore

/// The days a sheet must meet. A branch's are the period's own, which the organizer may set when opening it; a
/// group's and a member's come from their rubric's schedule, earlier, so each level reports before the one above
/// (moved with the branch's when the quarter opened after them).
enum SheetDeadlines {
    static func selfReport(_ sheet: some SheetFacts, rubric: Rubric, period: Period) -> CalendarDay? {
        day(of: sheet, set: period.selfDeadline, period: period, else: rubric.schedule.selfReportDeadline)
    }

    static func panelReview(_ sheet: some SheetFacts, rubric: Rubric, period: Period) -> CalendarDay? {
        day(of: sheet, set: period.panelDeadline, period: period, else: rubric.schedule.panelReviewDeadline)
    }

    /// The period's day for a branch; the rubric's day of the quarter for the levels below — unless that day had
    /// already passed when the quarter was opened (a quarter opened late, the demo's first start): a group or a
    /// member is then given the branch's day, as the organizer moved it, never a deadline 已逾期 from the start.
    private static func day(
        of sheet: some SheetFacts, set periodDay: String, period: Period,
        else rubricDay: (Quarter) -> CalendarDay
    ) -> CalendarDay? {
        let branchDay = CalendarDay(periodDay)
        if sheet.level == .branch, let branchDay { return branchDay }
        guard let own = Quarter(code: period.code).map(rubricDay) else { return nil }
        if let opened = period.createdAt.map(BureauCalendar.day(of:)), own < opened, let branchDay, branchDay > own {
            return branchDay
        }
        return own
    }

    /// The deadline that binds the sheet in its state: the self-report day while it is a draft, the panel's day
    /// while it waits for or is under review; none after.
    static func current(_ sheet: some SheetFacts, rubric: Rubric, period: Period) -> CalendarDay? {
        switch sheet.state {
        case .draft: selfReport(sheet, rubric: rubric, period: period)
        case .submitted, .underReview: panelReview(sheet, rubric: rubric, period: period)
        default: nil
        }
    }
}

extension SheetDeadlines {
    /// The branch deadlines an organizer sets when opening a period; a field left empty takes the rubric's day.
    struct Chosen: Sendable {
        var selfReport: CalendarDay?
        var panelReview: CalendarDay?

        init(selfReport: CalendarDay? = nil, panelReview: CalendarDay? = nil) {
            self.selfReport = selfReport
            self.panelReview = panelReview
        }

        /// Reads `2026-10-10` from each field; throws a `ValidationProblem` naming the first unreadable one.
        init(selfDeadline: String?, panelDeadline: String?) throws {
            func day(_ text: String?, field: String) throws -> CalendarDay? {
                guard let text = text.map(InputText.halfWidth)?.trimmingCharacters(in: .whitespaces), !text.isEmpty
                else { return nil }
                guard let day = CalendarDay(text) else {
                    throw ValidationProblem(field: field, rule: "应为日期，如 2026-10-10 (must be a date like 2026-10-10)")
                }
                return day
            }
            self.init(
                selfReport: try day(selfDeadline, field: "selfDeadline"),
                panelReview: try day(panelDeadline, field: "panelDeadline"))
        }
    }
}
