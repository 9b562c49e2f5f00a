/// One assessment period: a quarter of a year, written `2026Q3` (每季考核一次).
public struct Quarter: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var quarter: Int

    public init?(year: Int, quarter: Int) {
        guard (2000...2999).contains(year), (1...4).contains(quarter) else { return nil }
        self.year = year
        self.quarter = quarter
    }

    /// Reads `2026Q3`.
    public init?(code: String) {
        let parts = code.uppercased().split(separator: "Q")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), let quarter = Int(parts[1]) else {
            return nil
        }
        self.init(year: year, quarter: quarter)
    }

    /// The quarter `day` falls in.
    public init?(of day: CalendarDay) {
        self.init(year: day.year, quarter: day.quarter)
    }

    public var code: String { "\(year)Q\(quarter)" }
    public var description: String { code }
    public var label: String { "\(year)年第\(["一", "二", "三", "四"][quarter - 1])季度" }

    /// The quarter's first and last days.
    /// The quarter after this one.
    public var next: Quarter {
        quarter == 4 ? Quarter(year: year + 1, quarter: 1)! : Quarter(year: year, quarter: quarter + 1)!
    }

    public var firstDay: CalendarDay { CalendarDay(year: year, month: quarter * 3 - 2, day: 1)! }
    public var lastDay: CalendarDay {
        CalendarDay(year: year, month: quarter * 3, day: CalendarDay.days(in: quarter * 3, of: year))!
    }

    /// The first month of the next quarter, when this quarter's reports are due (下季度一月).
    public var reportingMonth: (year: Int, month: Int) {
        quarter == 4 ? (year + 1, 1) : (year, quarter * 3 + 1)
    }

    public static func < (a: Quarter, b: Quarter) -> Bool { (a.year, a.quarter) < (b.year, b.quarter) }

    /// How many of the quarter's days a stretch from `from` to `to` covers (`2026-08-01`; nil: open on that side):
    /// a member's days on a roster, an office's days held.
    public func days(from: String?, to: String?) -> Int {
        let first = max(from.flatMap(CalendarDay.init) ?? firstDay, firstDay)
        let last = min(to.flatMap(CalendarDay.init) ?? lastDay, lastDay)
        return first <= last ? first.days(until: last) + 1 : 0
    }
}

/// A calendar day written `2026-10-10`, without time zone: deadlines are days in the bureau's own calendar.
public struct CalendarDay: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...CalendarDay.days(in: month, of: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `2026-10-10`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The quarter of its year the day falls in, 1 to 4.
    public var quarter: Int { (month - 1) / 3 + 1 }

    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(m)-\(d)"
    }

    public static func < (a: CalendarDay, b: CalendarDay) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// The day `days` after this one (before it, when negative), across months and years.
    public func adding(days: Int) -> CalendarDay {
        var (y, m, d) = (year, month, day + days)
        while d > CalendarDay.days(in: m, of: y) {
            d -= CalendarDay.days(in: m, of: y)
            (y, m) = m == 12 ? (y + 1, 1) : (y, m + 1)
        }
        while d < 1 {
            (y, m) = m == 1 ? (y - 1, 12) : (y, m - 1)
            d += CalendarDay.days(in: m, of: y)
        }
        return CalendarDay(year: y, month: m, day: d)!
    }

    /// Whole days from this day to `other` (negative when `other` is earlier).
    public func days(until other: CalendarDay) -> Int {
        func ordinal(_ day: CalendarDay) -> Int {
            // Days since 0000-03-01 in the proleptic Gregorian calendar, so leap days fall at a year's end.
            let y = day.month <= 2 ? day.year - 1 : day.year
            let m = day.month <= 2 ? day.month + 9 : day.month - 3
            return 365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + day.day - 1
        }
        return ordinal(other) - ordinal(self)
    }

    /// The day of the week, 1 (Monday) to 7 (Sunday), as ISO 8601 numbers them.
    public var weekday: Int {
        let monday = CalendarDay(year: 2000, month: 1, day: 3)!
        let offset = monday.days(until: self) % 7
        return (offset + 7) % 7 + 1
    }

    public static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension Schedule {
    /// 自查情况书面报党总支组织委员: by `selfReportDay` of the next quarter's first month (办法 四(一)).
    public func selfReportDeadline(for quarter: Quarter) -> CalendarDay {
        day(selfReportDay, of: quarter.reportingMonth)
    }

    /// 考核小组考核完毕: by `panelReviewDay` of the next quarter's first month (办法 四(四)).
    public func panelReviewDeadline(for quarter: Quarter) -> CalendarDay {
        day(panelReviewDay, of: quarter.reportingMonth)
    }

    /// The last day a unit may file its one objection (申诉): `objectionDays` after publication.
    public func objectionDeadline(publishedOn day: CalendarDay) -> CalendarDay {
        day.adding(days: objectionDays)
    }

    /// A day past the month's end falls on its last day (day 31 in a 30-day month).
    private func day(_ day: Int, of month: (year: Int, month: Int)) -> CalendarDay {
        let last = CalendarDay.days(in: month.month, of: month.year)
        return CalendarDay(year: month.year, month: month.month, day: min(max(day, 1), last))!
    }
}
