/// One requirement in one window of its span, as the ledger stands on a day: what it asks, what was recorded,
/// the pace it should be at, and what the quarter's sheet deducts for it.
public struct RequirementTally: Sendable, Equatable {
    public var requirement: ActivityRequirement
    public var window: SpanWindow
    public var needed: Int
    /// The records in the window up to the day the ledger is read.
    public var recorded: Int
    /// What an even pace would have recorded by then (all it needs, once the window has ended).
    public var expected: Int
    public var ended: Bool
    /// Whether the window lies within the complete ledger (部分记账: a window begun before it deducts nothing).
    public var counted: Bool
    /// How many times the deduct rule applies on the sheet of the quarter the window ends in: what an ended,
    /// counted window is short of, less what the finer windows inside it already deducted. 0 otherwise.
    public var missing: Int

    /// What the window still lacks.
    public var short: Int { max(0, needed - recorded) }
    /// Behind schedule: a window under way with fewer records than an even pace.
    public var behind: Bool { !ended && recorded < expected }

    /// 全年需 4 次，已 2 次.
    public var pace: String { "\(window.shortLabel)需 \(needed) 次，已 \(recorded) 次" }
}

/// What the activity ledger (活动台账) implies, requirement by requirement, window by window (`LedgerSpan`).
///
/// A window's shortfall is deducted once, on the sheet of the quarter it ends in, once it has ended: 全年不少于4次
/// in the fourth quarter (the earlier quarters show the pace), 每半年 in the second and fourth, 每季 and 每月 and
/// each week in their own quarter. A coarser window deducts only what its finer windows did not already
/// (每季不少于1次并每半年不少于2次: two empty quarters are 2 missing, not 4).
public enum LedgerCount {
    /// Every window of the requirement that belongs to `quarter`, read on `asOf`, from the days the activity was
    /// held. Windows that begin before `countedFrom` (the first day of the complete ledger) deduct nothing; nil
    /// counts every window.
    public static func tallies(
        of quarter: Quarter, _ requirement: ActivityRequirement, held: [CalendarDay],
        asOf: CalendarDay, countedFrom: CalendarDay? = nil
    ) -> [RequirementTally] {
        let days = held.sorted()
        func count(_ window: SpanWindow, upTo day: CalendarDay) -> Int {
            days.filter { window.contains($0) && $0 <= day }.count
        }
        /// What an ended window lacks beyond what the finer windows inside it lack.
        func missing(_ window: SpanWindow) -> Int {
            let needed = requirement.needed(per: window.span) ?? 0
            let finer = requirement.spans.filter { $0 < window.span }.flatMap { span in
                quartersOf(window).flatMap { SpanWindow.windows(of: span, in: $0, weekday: requirement.weekday) }
                    .filter { window.holds($0) }
            }
            return max(0, needed - count(window, upTo: window.last) - finer.map(missing).reduce(0, +))
        }
        return requirement.spans.flatMap { span in
            SpanWindow.windows(of: span, in: quarter, weekday: requirement.weekday).map { window in
                let needed = requirement.needed(per: span) ?? 0
                let ended = window.last <= asOf
                let counted = countedFrom.map { window.anchor >= $0 } ?? true
                let deducted = ended && counted && window.last <= quarter.lastDay
                return RequirementTally(
                    requirement: requirement, window: window, needed: needed, recorded: count(window, upTo: asOf),
                    expected: ended ? needed : pace(needed, window, asOf), ended: ended, counted: counted,
                    missing: deducted ? missing(window) : 0)
            }
        }
    }

    /// The tallies of every requirement whose windows deduct on `quarter`'s sheet.
    public static func shortfalls(
        of quarter: Quarter, requirements: [ActivityRequirement],
        held: [ActivityType: [CalendarDay]], asOf: CalendarDay,
        countedFrom: CalendarDay? = nil
    ) -> [RequirementTally] {
        requirements.flatMap { requirement in
            tallies(
                of: quarter, requirement, held: held[requirement.activity] ?? [], asOf: asOf, countedFrom: countedFrom
            )
            .filter { $0.missing > 0 }
        }
    }

    /// An even pace: the share of `needed` that the days gone by make, rounded half down — once a half year is
    /// not behind at its middle day, twelve a year are behind with eight by the end of September.
    static func pace(_ needed: Int, _ window: SpanWindow, _ asOf: CalendarDay) -> Int {
        guard asOf >= window.first else { return 0 }
        let total = window.first.days(until: window.last) + 1
        let gone = window.first.days(until: min(asOf, window.last)) + 1
        return (needed * gone * 2 + total - 1) / (total * 2)
    }

    /// The quarters a window spans.
    private static func quartersOf(_ window: SpanWindow) -> [Quarter] {
        guard let first = Quarter(of: window.first), let last = Quarter(of: window.last) else { return [] }
        return (first.quarter...last.quarter).compactMap { Quarter(year: first.year, quarter: $0) }
    }
}
