import Fluent
import KaoheCore
import SQLKit
import Vapor

/// The whole sheet as its readers see it: its entries, evidence, per-item opinions and objection, what the records
/// suggest and what was set aside, the ledger's pace, the self-assessed snapshot and the engine's score of the
/// entries in force — loaded once, with its rubric. The API encodes it (`SheetDTO`), the page lays it out
/// (`SheetPage`): both show one document.
struct SheetDocument: Sendable {
    /// A suggestion set aside, and whether the records still say the same (the panel may still accept it).
    struct Dismissal: Sendable {
        let record: SuggestionDismissal
        let current: Bool
    }

    let period: Period
    let sheet: Sheet
    let rubric: Rubric
    /// 党支部考核细则（2026 版 v1）.
    let rubricLabel: String
    let entries: [SheetEntry]
    let evidence: [Evidence]
    /// The panel's 考核意见 by item.
    let opinions: [String: String]
    let objection: Objection?
    let suggestions: [Suggestion]
    let dismissed: [Dismissal]
    let pace: [Pace]
    let selfScore: UnitReport?
    let score: UnitReport

    /// The evidence filed with `entry`.
    func evidence(of entry: SheetEntry) -> [Evidence] {
        evidence.filter { $0.$entry.id == entry.id }
    }

    /// - Parameter parts: what the caller has read already (a workflow move reads them before it moves the sheet).
    static func load(_ sheet: Sheet, of period: Period, parts known: Parts? = nil, on db: any Database) async throws
        -> SheetDocument
    {
        let parts = if let known { known } else { try await Parts.read(of: sheet, in: period, on: db) }
        let rubric = try await RubricStore.rubric(id: sheet.$rubric.id, on: db)
        let reading = try await ledgerReading(sheet, entries: parts.entries, rubric: rubric, period: period, on: db)
        let offered =
            ownSuggestions(sheet, entries: parts.entries, rubric: rubric, period: period) + reading.suggestions
        let dismissals = parts.dismissals
        return SheetDocument(
            period: period, sheet: sheet, rubric: rubric,
            rubricLabel: try await RubricStore.label(id: sheet.$rubric.id, on: db),
            entries: parts.entries, evidence: parts.evidence,
            opinions: Dictionary(parts.opinions.map { ($0.item, $0.text) }, uniquingKeysWith: { a, _ in a }),
            objection: parts.objection,
            suggestions: offered.filter { suggestion in !dismissals.contains(where: suggestion.isSetAside) },
            dismissed: dismissals.map { dismissal in
                Dismissal(record: dismissal, current: offered.contains { $0.isSetAside(by: dismissal) })
            },
            pace: reading.pace,
            selfScore: Sheets.selfSnapshot(of: sheet),
            score: try Sheets.report(
                sheet, rubricVersion: sheet.$rubric.id, entries: parts.entries, rubric: rubric,
                vetoes: parts.struck[sheet.unitCode] ?? []))
    }

    /// Everything the sheet is offered: a late or missing self-report, and what the ledger implies.
    static func suggestions(
        _ sheet: Sheet, entries: [SheetEntry], rubric: Rubric, period: Period,
        on db: any Database
    ) async throws -> [Suggestion] {
        ownSuggestions(sheet, entries: entries, rubric: rubric, period: period)
            + (try await ledgerReading(sheet, entries: entries, rubric: rubric, period: period, on: db)).suggestions
    }

    /// The suggestions still open: what the records imply, less what was set aside (`load` shows the same).
    static func openSuggestions(
        _ sheet: Sheet, entries: [SheetEntry], rubric: Rubric, period: Period, on db: any Database
    ) async throws -> [Suggestion] {
        let offered = try await suggestions(sheet, entries: entries, rubric: rubric, period: period, on: db)
        let dismissals = try await dismissals(of: sheet, on: db)
        return offered.filter { suggestion in !dismissals.contains(where: suggestion.isSetAside) }
    }

    /// The suggestions set aside on `sheet`, oldest first.
    private static func dismissals(of sheet: Sheet, on db: any Database) async throws -> [SuggestionDismissal] {
        try await db.rows(
            SuggestionDismissal.self,
            """
            SELECT * FROM \(ident: SuggestionDismissal.schema) WHERE assessment_id = \(bind: sheet.requireID())
            ORDER BY created_at
            """)
    }

    /// What the sheet's own course suggests: a late self-report, or none.
    private static func ownSuggestions(_ sheet: Sheet, entries: [SheetEntry], rubric: Rubric, period: Period)
        -> [Suggestion]
    {
        let unreported = unreportedSuggestions(sheet, entries: entries, rubric: rubric, period: period)
        // Not reported at all is not also reported late, when the rubric says the two exclude each other.
        let late = lateSuggestions(sheet, entries: entries, rubric: rubric, period: period).filter { late in
            !unreported.contains { rubric.excluded(by: $0.rule).contains(late.rule) }
        }
        return late + unreported
    }

    /// A late self-report suggests the rubric's own rule for it (细则 2.4 未及时上报), until an entry applies it.
    static func lateSuggestions(_ sheet: Sheet, entries: [SheetEntry], rubric: Rubric, period: Period) -> [Suggestion] {
        guard sheet.late, let rule = rubric.schedule.lateRule,
            let deadline = SheetDeadlines.selfReport(sheet, rubric: rubric, period: period),
            !entries.contains(where: { $0.rule == rule && !$0.withdrawn }),
            !Suggestion.excluded(rule, rubric: rubric, entries: entries)
        else { return [] }
        return [Suggestion(rule: rule, count: 1, reason: "自查结果晚于 \(deadline) 报送")]
    }

    /// A sheet forwarded without a self-report suggests the rubric's rule for it (细则 2.4 没有开展自查考核的).
    static func unreportedSuggestions(_ sheet: Sheet, entries: [SheetEntry], rubric: Rubric, period: Period)
        -> [Suggestion]
    {
        guard !sheet.selfReported, let rule = rubric.schedule.noSelfReportRule,
            !entries.contains(where: { $0.rule == rule && !$0.withdrawn }),
            !Suggestion.excluded(rule, rubric: rubric, entries: entries)
        else { return [] }
        let deadline = SheetDeadlines.selfReport(sheet, rubric: rubric, period: period)?.description ?? "截止日"
        return [Suggestion(rule: rule, count: 1, reason: "截至 \(deadline) 未报送自查结果，由组织委员转交考核小组（未开展自查）")]
    }

    /// What the records say while the sheet is being written: what the ledger falls short of in the quarter, the
    /// pace of the windows still running (`Ledger.reading`), and what the year's facts imply (`YearFacts`), less what
    /// the sheet's entries already count. A branch's or group's findings are kept for the day (`KeptSheetReading`).
    static func ledgerReading(
        _ sheet: Sheet, entries: [SheetEntry], rubric: Rubric, period: Period,
        on db: any Database
    ) async throws -> Ledger.Reading {
        guard let quarter = Quarter(year: period.year, quarter: period.quarter),
            [.draft, .underReview].contains(sheet.state)
        else { return .init(suggestions: [], pace: []) }
        let today = BureauCalendar.today()
        if sheet.level == .member {
            guard let member = try await Unit.query(on: db).filter(\.$code == sheet.unitCode).first() else {
                return .init(suggestions: [], pace: [])
            }
            let suggestions = try await MemberRecord.read(member, year: quarter.year, on: db)
                .suggestions(for: quarter, rubric: rubric, entries: entries, asOf: min(today, quarter.lastDay))
            return .init(suggestions: suggestions, pace: [])
        }
        let found = try await keptFindings(sheet, quarter: quarter, rubric: rubric, today: today, on: db)
        return .init(
            suggestions: (found.findings + (found.facts ?? [])).compactMap {
                Suggestion.remaining($0.rule, found: $0.count, reason: $0.reason, rubric: rubric, entries: entries)
            },
            pace: found.pace)
    }

    /// The branch's or group's reading as of today, kept or counted (and then kept); its yearly facts counted and
    /// kept beside a reading 台账对照 kept without them.
    static func keptFindings(_ sheet: Sheet, quarter: Quarter, rubric: Rubric, today: CalendarDay, on db: any Database)
        async throws -> KeptSheetReading.Found
    {
        let (id, asOf) = (try sheet.requireID(), min(today, quarter.lastDay))
        let lookup = try await KeptSheetReading.lookup([id], asOf: asOf, on: db)
        if var found = lookup.found(id) {
            guard found.facts == nil else { return found }
            found.facts = try await KeptSheetReading.factFindings(
                sheet.unitCode, level: sheet.level, quarter: quarter, rubric: rubric, today: today, on: db)
            await KeptSheetReading.keep([(id, sheet.$rubric.id, found, nil)], asOf: asOf, at: lookup, on: db)
            return found
        }
        let counted = try await countedFindings(sheet, quarter: quarter, rubric: rubric, today: today, on: db)
        await KeptSheetReading.keep(
            [(id, sheet.$rubric.id, counted.found, counted.listing.text)], asOf: asOf, at: lookup, on: db)
        return counted.found
    }

    /// The branch's or group's reading counted from the records, its facts too, before any entry is set against it.
    static func countedFindings(
        _ sheet: Sheet, quarter: Quarter, rubric: Rubric, today: CalendarDay, on db: any Database
    ) async throws -> KeptSheetReading.Counted {
        try await KeptSheetReading.count(
            sheet.unitCode, level: sheet.level,
            book: LedgerBook.read(for: sheet.unitCode, year: quarter.year, on: db), quarter: quarter, rubric: rubric,
            today: today, facts: true, on: db)
    }
}
