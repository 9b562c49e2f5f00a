/// What the activity ledger (活动台账) implies for one quarter's sheet: each requirement of the rubric that the
/// records fall short of, with how many are missing, so the deduct rule can be suggested that many times.
///
/// How a requirement is checked in the quarter being assessed, so each missing meeting is counted once:
/// - `perQuarter`: on the quarter's records;
/// - `perYear` that splits evenly into quarters (12 支委会 → 3 a quarter): its share, on the quarter's records;
///   any other `perYear` (1 民主生活会, 2 走访) in the fourth quarter, on the year's records;
/// - `perHalfYear`: in the second and fourth quarters, on the half year's records, less what the half's
///   quarters were already found short (每季不少于1次并每半年不少于2次: two empty quarters are 2 missing, not 4).
///
/// A span that began before the ledger was kept (`keptSince`, the quarter of its first record) is not checked:
/// a bureau that starts its ledger in July has not held nothing in the spring, it has recorded nothing.
public struct ActivityShortfall: Sendable, Equatable {
    public var requirement: ActivityRequirement
    /// The records counted, in the span checked.
    public var held: Int
    /// What that span requires.
    public var required: Int
    /// How many times the deduct rule applies.
    public var missing: Int
    /// The span checked: the quarter, the half year or the year.
    public var span: Span

    public enum Span: Sendable, Equatable {
        case quarter, halfYear, year

        public var label: String {
            switch self {
            case .quarter: "本季度"
            case .halfYear: "本半年"
            case .year: "全年"
            }
        }
    }

    public init(requirement: ActivityRequirement, held: Int, required: Int, missing: Int, span: Span) {
        self.requirement = requirement
        self.held = held
        self.required = required
        self.missing = missing
        self.span = span
    }

    /// The shortfalls of `quarter` under `requirements`, given the days on which each kind of activity was held
    /// (records of other years are ignored); `keptSince` nil means the ledger covers the whole year.
    public static func of(_ quarter: Quarter, requirements: [ActivityRequirement],
                          held: [ActivityType: [CalendarDay]], keptSince: Quarter? = nil) -> [ActivityShortfall] {
        requirements.flatMap { requirement in
            shortfalls(of: quarter, requirement, days: (held[requirement.activity] ?? []).filter { $0.year == quarter.year },
                       keptSince: keptSince)
        }
    }

    private static func shortfalls(of quarter: Quarter, _ requirement: ActivityRequirement, days: [CalendarDay],
                                   keptSince: Quarter?) -> [ActivityShortfall] {
        /// Whether the span starting with quarter `first` of the year lies within the kept ledger.
        func kept(from first: Int) -> Bool {
            guard let keptSince, let start = Quarter(year: quarter.year, quarter: first) else { return true }
            return start >= keptSince
        }
        func count(_ quarters: ClosedRange<Int>) -> Int { days.filter { quarters.contains($0.quarter) }.count }
        let perQuarter = quarterlyShare(requirement)
        func quarterMissing(_ q: Int) -> Int { perQuarter.map { max(0, $0 - count(q...q)) } ?? 0 }
        func halfMissing(_ half: Int) -> Int {
            guard let perHalf = requirement.perHalfYear else { return 0 }
            let quarters = (half * 2 - 1)...(half * 2)
            return max(0, perHalf - count(quarters) - quarters.map(quarterMissing).reduce(0, +))
        }

        var found: [ActivityShortfall] = []
        let q = quarter.quarter
        if let perQuarter, kept(from: q), quarterMissing(q) > 0 {
            found.append(ActivityShortfall(requirement: requirement, held: count(q...q), required: perQuarter,
                                           missing: quarterMissing(q), span: .quarter))
        }
        if let perHalf = requirement.perHalfYear, q % 2 == 0, kept(from: q - 1), halfMissing(q / 2) > 0 {
            found.append(ActivityShortfall(requirement: requirement, held: count((q - 1)...q), required: perHalf,
                                           missing: halfMissing(q / 2), span: .halfYear))
        }
        if let perYear = requirement.perYear, perYear % 4 != 0, q == 4, kept(from: 1) {
            let alreadyFound = (1...4).map(quarterMissing).reduce(0, +) + halfMissing(1) + halfMissing(2)
            let missing = max(0, perYear - count(1...4) - alreadyFound)
            if missing > 0 {
                found.append(ActivityShortfall(requirement: requirement, held: count(1...4), required: perYear,
                                               missing: missing, span: .year))
            }
        }
        return found
    }

    /// The count each quarter must reach: `perQuarter`, or an even quarter share of `perYear`, whichever is more.
    private static func quarterlyShare(_ requirement: ActivityRequirement) -> Int? {
        let share = requirement.perYear.flatMap { $0 % 4 == 0 ? $0 / 4 : nil }
        switch (requirement.perQuarter, share) {
        case let (perQuarter?, share?): return max(perQuarter, share)
        case let (perQuarter, share): return perQuarter ?? share
        }
    }
}
