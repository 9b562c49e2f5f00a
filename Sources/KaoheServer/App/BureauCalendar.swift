import Foundation
import KaoheCore

/// The bureau's calendar: deadlines and windows are whole days in China Standard Time.
enum BureauCalendar {
    /// A day held fixed for one task, as a test rehearses the year's end: `BureauCalendar.$fixed.withValue(day) {…}`.
    @TaskLocal static var fixed: CalendarDay?

    /// `KAOHE_TODAY=2027-01-15`: the whole process lives on that day, for a rehearsal on a copy of the data and for
    /// the browser journeys that run a year through. Never set in production.
    static let fromEnvironment: CalendarDay? = ProcessInfo.processInfo.environment["KAOHE_TODAY"].flatMap(
        CalendarDay.init)

    static func today() -> CalendarDay {
        fixed ?? fromEnvironment ?? day(of: Date())
    }

    /// The day a moment falls on in Beijing.
    static func day(of now: Date) -> CalendarDay {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDay(year: parts.year ?? 2000, month: parts.month ?? 1, day: parts.day ?? 1)!
    }
}
