import KaoheCore

/// What a unit's ledger has due on a day, as its keeper's 待办 lists it: the months whose 党费 was handed over, the
/// plans and summaries reported (细则 2.3), and the requirements behind an even pace in the quarter's windows. Counted
/// from the book once and kept with the sheet's reading of the day (`KeptSheetReading`), so the 待办 reads it.
struct LedgerDue: Codable, Equatable, Sendable {
    struct Behind: Codable, Equatable, Sendable {
        /// The group counted, by name; nil for the unit itself.
        let group: String?
        let activity: ActivityType
        /// The last day of the window that is behind.
        let until: CalendarDay
    }

    /// The first day of each month handed over.
    var handedOver: [CalendarDay]
    var reported: [DocumentKind]
    /// Empty in 部分记账: nothing is behind in a quarter begun before the ledger counts.
    var behind: [Behind]

    init(book: LedgerBook, quarter: Quarter, rubric: Rubric, asOf day: CalendarDay) {
        handedOver = book.dues.filter { $0.handedOverOn != nil }.map(\.month)
        reported = DocumentKind.allCases.filter { book.documents[$0] != nil }
        behind =
            book.isPartial(quarter)
            ? []
            : book.lines(of: quarter, rubric: rubric, asOf: day).filter(\.tally.behind).map {
                Behind(group: $0.group?.name, activity: $0.tally.requirement.activity, until: $0.tally.window.last)
            }
    }
}
