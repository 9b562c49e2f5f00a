import KaoheCore

extension LedgerBook {
    /// One requirement (for a branch's requirement counted per group, one group's) against the year: the records
    /// of each quarter, what its sheet deducts once its windows have ended, behind schedule while they run.
    struct RequirementYear: Sendable {
        struct QuarterCount: Sendable {
            let held: Int
            /// What the quarter's sheet deducts for it.
            let missing: Int
            /// A window under way behind an even pace.
            let behind: Bool
            /// 部分记账: begun before the ledger counts; shown, never deducted.
            let partial: Bool
        }

        let requirement: ActivityRequirement
        let group: (code: String, name: String)?
        let quarters: [QuarterCount]
        let total: Int
        /// 全年需 12 次，已 5 次, for a requirement counted over the year.
        let pace: String?
    }

    /// Each requirement of `rubric`, quarter by quarter, as read `today` (a requirement counted per group, group by
    /// group); quarters not yet begun count nothing.
    func year(under rubric: Rubric, today: CalendarDay) -> [RequirementYear] {
        let quarters = (1...4).compactMap { Quarter(year: year, quarter: $0) }
        let lines = quarters.map { quarter in
            quarter.firstDay <= today ? self.lines(of: quarter, rubric: rubric, asOf: min(today, quarter.lastDay)) : []
        }
        let counted = rubric.requirements.flatMap {
            requirement -> [(ActivityRequirement, (code: String, name: String)?)] in
            guard requirement.eachGroup, !groups.isEmpty else { return [(requirement, nil)] }
            return groups.map { (requirement, ($0.code, $0.name)) }
        }
        return counted.map { requirement, group in
            let held = (group.flatMap { group in groups.first { $0.code == group.code }?.held } ?? self.held)
            let days = (held[requirement.activity] ?? []).filter { $0.year == year }
            let counts = zip(quarters, lines).map { quarter, lines in
                let mine = lines.filter { $0.tally.requirement == requirement && $0.group?.code == group?.code }
                let missing = mine.map(\.tally.missing).reduce(0, +)
                let partial = quarter.firstDay <= today && isPartial(quarter)
                // A partial quarter's records are not all there: neither short nor behind.
                let behind = !partial && missing == 0 && mine.contains { $0.tally.behind }
                return RequirementYear.QuarterCount(
                    held: days.filter { $0.quarter == quarter.quarter }.count, missing: missing,
                    behind: behind, partial: partial)
            }
            let yearLine = lines.last { !$0.isEmpty }?.first {
                $0.tally.requirement == requirement && $0.group?.code == group?.code && $0.tally.window.span == .year
            }
            return RequirementYear(
                requirement: requirement, group: group, quarters: counts, total: days.count,
                pace: yearLine?.tally.pace)
        }
    }

    /// The quarter a secretary may mark complete while it is 部分记账: the one of 台账启用日, or with none set the one
    /// the ledger began in (with no record yet, this one).
    func partialQuarter(today: CalendarDay) -> Quarter? {
        guard let quarter = startsOn.flatMap(Quarter.init(of:)) ?? keptSince ?? Quarter(of: today),
            quarter.year == year,
            isPartial(quarter),
            !completed.contains(quarter.code)
        else { return nil }
        return quarter
    }
}
