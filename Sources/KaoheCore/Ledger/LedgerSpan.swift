/// The stretch of the calendar a requirement counts over, as the 细则 names it.
public enum LedgerSpan: String, Sendable, CaseIterable, Codable, Comparable {
    case week, month, quarter, half, year

    public var label: String {
        switch self {
        case .week: "每周"
        case .month: "每月"
        case .quarter: "每季"
        case .half: "每半年"
        case .year: "全年"
        }
    }

    public static func < (a: LedgerSpan, b: LedgerSpan) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One window of a span: the week of 2026-07-08, July 2026, 2026Q3, the second half of 2026, 2026.
public struct SpanWindow: Sendable, Hashable, Comparable {
    public var span: LedgerSpan
    public var first: CalendarDay
    public var last: CalendarDay
    /// The day that places the window in a quarter and a year: a week's weekday, else its first day.
    public var anchor: CalendarDay

    public init(span: LedgerSpan, first: CalendarDay, last: CalendarDay, anchor: CalendarDay? = nil) {
        self.span = span
        self.first = first
        self.last = last
        self.anchor = anchor ?? first
    }

    public func contains(_ day: CalendarDay) -> Bool { first <= day && day <= last }

    /// Whether `window` is one of the finer windows this one is made of.
    public func holds(_ window: SpanWindow) -> Bool { window.span < span && contains(window.anchor) }

    /// How a quarter's sheet names it beside its count: 7月8日那周, 8月, 本季, 下半年, 全年.
    public var shortLabel: String {
        switch span {
        case .week: label
        case .month: "\(first.month)月"
        case .quarter: "本季"
        case .half: first.month <= 6 ? "上半年" : "下半年"
        case .year: "全年"
        }
    }

    /// How the ledger names it: 7月, 7月8日那周, 第三季度, 下半年, 2026年.
    public var label: String {
        switch span {
        case .week: "\(anchor.month)月\(anchor.day)日那周"
        case .month: "\(first.year)年\(first.month)月"
        case .quarter: Quarter(of: first)!.label
        case .half: "\(first.year)年\(first.month == 1 ? "上" : "下")半年"
        case .year: "\(first.year)年"
        }
    }

    public static func < (a: SpanWindow, b: SpanWindow) -> Bool { (a.anchor, a.span) < (b.anchor, b.span) }

    /// The windows of `span` that belong to `quarter`: its weeks (those whose `weekday` falls in it, Monday's
    /// weeks when none is given), its three months, itself, and the half year and the year it is part of.
    public static func windows(of span: LedgerSpan, in quarter: Quarter, weekday: Int? = nil) -> [SpanWindow] {
        let (year, q) = (quarter.year, quarter.quarter)
        switch span {
        case .week:
            let day = min(max(weekday ?? 1, 1), 7)
            var anchor = quarter.firstDay
            while anchor.weekday != day { anchor = anchor.adding(days: 1) }
            var weeks: [SpanWindow] = []
            while anchor <= quarter.lastDay {
                // A week ends with the quarter of its day, so that the quarter's sheet sees it whole.
                let monday = anchor.adding(days: 1 - day)
                weeks.append(
                    SpanWindow(
                        span: .week, first: monday, last: min(monday.adding(days: 6), quarter.lastDay), anchor: anchor))
                anchor = anchor.adding(days: 7)
            }
            return weeks
        case .month:
            return (q * 3 - 2...q * 3).map { month in
                SpanWindow(
                    span: .month, first: CalendarDay(year: year, month: month, day: 1)!,
                    last: CalendarDay(year: year, month: month, day: CalendarDay.days(in: month, of: year))!)
            }
        case .quarter:
            return [SpanWindow(span: .quarter, first: quarter.firstDay, last: quarter.lastDay)]
        case .half:
            let firstQuarter = Quarter(year: year, quarter: q <= 2 ? 1 : 3)!
            let lastQuarter = Quarter(year: year, quarter: q <= 2 ? 2 : 4)!
            return [SpanWindow(span: .half, first: firstQuarter.firstDay, last: lastQuarter.lastDay)]
        case .year:
            return [
                SpanWindow(
                    span: .year, first: CalendarDay(year: year, month: 1, day: 1)!,
                    last: CalendarDay(year: year, month: 12, day: 31)!)
            ]
        }
    }
}

extension CalendarDay {
    /// 一 to 日, Monday first (ISO 8601), for 每周三.
    public static let weekdayNames = ["一", "二", "三", "四", "五", "六", "日"]
}
