import Foundation

/// One unit's year, as the yearly selection (年终评比) sees it.
public struct UnitYear: Sendable, Equatable, Encodable {
    public var unit: String
    /// The four quarterly totals, bonus excluded.
    public var quarters: [Decimal]
    /// The year's bonus points, the first tie-breaker.
    public var bonus: Decimal
    /// 自评, 0–100.
    public var selfRating: Decimal
    /// 互评: rater's name → rating (0–100). The unit's rating of itself is ignored.
    public var peerRatings: [String: Decimal]
    /// 考核组考评, 0–100.
    public var panel: Decimal
    /// Struck by a veto at any time in the year.
    public var vetoed: Bool

    public init(
        unit: String, quarters: [Decimal], bonus: Decimal = 0, selfRating: Decimal, peerRatings: [String: Decimal],
        panel: Decimal, vetoed: Bool = false
    ) {
        self.unit = unit
        self.quarters = quarters
        self.bonus = bonus
        self.selfRating = selfRating
        self.peerRatings = peerRatings
        self.panel = panel
        self.vetoed = vetoed
    }

    enum CodingKeys: String, CodingKey {
        case unit, quarters, bonus, selfRating = "self", peerRatings = "peer", panel, vetoed
    }

    /// The others' ratings, the unit's own left out.
    public var othersRatings: [Decimal] { peerRatings.filter { $0.key != unit }.map(\.value) }
}

/// One unit's place in the yearly selection. Values are exact; round only to present them.
public struct AnnualStanding: Sendable, Equatable {
    public var unit: String
    /// Mean of the four quarterly totals, in points.
    public var yearly: Decimal
    /// Mean of the others' ratings.
    public var peer: Decimal
    public var composite: Decimal
    public var bonus: Decimal
    /// 1-based; vetoed units come after all others.
    public var rank: Int
    public var proposed: Bool
    public var vetoed: Bool
}

/// 年终评比: ranks units by their composite and proposes the first `annual.awards.max` that no veto struck.
/// The system proposes; the committee decides.
public struct AnnualSelection: Sendable {
    public let rubric: Rubric

    public init(rubric: Rubric) { self.rubric = rubric }

    /// `requiringPeerRatings`: `kaohe annual` asks every unit for a rating from another; the application ranks a
    /// year whose 互评 is not all in yet, a missing rating counting as 0 (contracts/api.md, "The year").
    /// `circles`: the unit within which each is proposed (its group or branch, `annual.awards.within`), each circle
    /// proposing its own `awards.max`; a unit left out, or an empty map, is proposed among the whole level.
    public func rank(
        _ years: [UnitYear], requiringPeerRatings: Bool = true, circles: [String: String] = [:]
    ) throws(EntryProblems) -> [AnnualStanding] {
        let problems = self.problems(in: years, requiringPeerRatings: requiringPeerRatings)
        guard problems.isEmpty else { throw EntryProblems(problems) }
        let weights = rubric.annual.weights
        let unranked = years.map { year in
            let yearly = Self.mean(year.quarters)
            let peer = Self.mean(year.othersRatings)
            let composite =
                weights.quarterly * yearly * 100 / rubric.maxScore
                + weights.selfRating * year.selfRating + weights.peer * peer + weights.panel * year.panel
            return AnnualStanding(
                unit: year.unit, yearly: yearly, peer: peer, composite: composite, bonus: year.bonus,
                rank: 0, proposed: false, vetoed: year.vetoed
            )
        }
        var proposed: [String: Int] = [:]
        return unranked.sorted(by: Self.ranksBefore).enumerated().map { index, standing in
            var standing = standing
            standing.rank = index + 1
            let circle = circles[standing.unit] ?? ""
            if !standing.vetoed, proposed[circle, default: 0] < rubric.annual.awards.max {
                standing.proposed = true
                proposed[circle, default: 0] += 1
            }
            return standing
        }
    }

    /// Every problem of the year's input: four quarters inside [0, maxScore], ratings inside [0, 100],
    /// at least one rating from another unit, no unit listed twice.
    public func problems(in years: [UnitYear], requiringPeerRatings: Bool = true) -> [EntryProblem] {
        var problems: [EntryProblem] = []
        var seen: Set<String> = []
        for year in years {
            func report(_ field: String, _ message: String) {
                problems.append(EntryProblem(unit: year.unit, field: field, message: message))
            }
            if !seen.insert(year.unit).inserted { report("unit", "the unit is listed twice") }
            if year.quarters.count != 4 {
                report("quarters", "quarters must hold the four quarterly totals, got \(year.quarters.count)")
            }
            for (index, total) in year.quarters.enumerated() where total < 0 || total > rubric.maxScore {
                report("quarters", "quarter \(index + 1): total \(total) outside [0, \(rubric.maxScore)]")
            }
            if year.bonus < 0 { report("bonus", "bonus must not be negative, got \(year.bonus)") }
            let others = year.peerRatings.filter { $0.key != year.unit }.sorted { $0.key < $1.key }
            let ratings =
                [("self", "self", year.selfRating), ("panel", "panel", year.panel)]
                + others.map { ("peer", "peer '\($0.key)'", $0.value) }
            for (field, name, rating) in ratings where rating < 0 || rating > 100 {
                report(field, "\(name) rating \(rating) outside [0, 100]")
            }
            if others.isEmpty, requiringPeerRatings {
                report("peer", "peer needs at least one rating from another unit")
            }
        }
        return problems
    }

    /// Non-vetoed first; then the higher composite, the higher bonus, and the unit name (in Unicode order).
    static func ranksBefore(_ a: AnnualStanding, _ b: AnnualStanding) -> Bool {
        if a.vetoed != b.vetoed { return !a.vetoed }
        if a.composite != b.composite { return a.composite > b.composite }
        if a.bonus != b.bonus { return a.bonus > b.bonus }
        return a.unit < b.unit
    }

    static func mean(_ values: [Decimal]) -> Decimal {
        values.isEmpty ? 0 : values.reduce(0, +) / Decimal(values.count)
    }
}
