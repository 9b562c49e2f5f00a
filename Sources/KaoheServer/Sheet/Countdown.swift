import KaoheCore

/// Days left to a deadline, as the pages and the inbox say it.
struct Countdown: Encodable {
    /// 还剩 3 天, 今天截止, 已逾期 2 天.
    let text: String
    /// `due`, `today` or `overdue`: the style of the text.
    let tone: String

    init(to deadline: CalendarDay, today: CalendarDay) {
        let days = today.days(until: deadline)
        switch days {
        case 1...: (text, tone) = ("还剩 \(days) 天", "due")
        case 0: (text, tone) = ("今天截止", "today")
        default: (text, tone) = ("已逾期 \(-days) 天", "overdue")
        }
    }
}
