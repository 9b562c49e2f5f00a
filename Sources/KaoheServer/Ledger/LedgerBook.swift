import Fluent
import KaoheCore
import Vapor

/// A unit's ledger for one year as the rubric counts it: the unit's own records, and for requirements counted per
/// group those of each of its 党小组 apart (with the unit's own, which the whole branch held), and the day from
/// which the ledger is complete. A group's 党费 handed to the branch is not the branch's handed to the bureau.
struct LedgerBook {
    /// One requirement's window, for the unit itself or, counted per group, for one of its groups.
    struct Line {
        /// The group counted, nil for the unit itself.
        var group: (code: String, name: String)?
        var tally: RequirementTally

        /// 第一党小组 党小组会 2026年 3 次，应不少于 12 次.
        var shortfallText: String {
            let who = group.map { "\($0.name) " } ?? ""
            return "\(who)\(tally.requirement.activity.label)\(tally.window.label) \(tally.recorded) 次，应不少于 \(tally.needed) 次"
        }
    }

    let unit: String
    let unitName: String
    let year: Int
    let held: [ActivityType: [CalendarDay]]
    let groups: [(code: String, name: String, held: [ActivityType: [CalendarDay]])]
    /// The quarter of the first standing record, nil when the unit keeps no ledger in Kaohe yet.
    let keptSince: Quarter?
    /// The first day the ledger counts from (部分记账 before it), nil when nothing is counted yet.
    let countedFrom: CalendarDay?
    /// The quarters the unit's secretary marked complete.
    let completed: Set<String>

    /// Reads the unit's year: its records and its groups' (withdrawn ones left out), and its completion marks.
    static func read(for unit: String, year: Int, on db: any Database) async throws -> LedgerBook {
        let units = try await Ledger.unitAndBelow(unit, on: db)
        let records = try await Ledger.records(of: units, year: year, on: db)
        let groups = try await Unit.query(on: db).filter(\.$parentCode == unit).filter(\.$kind == .group)
            .sort(\.$sortOrder).sort(\.$code).all()
        let completed = Set(try await LedgerCompletion.query(on: db).filter(\.$unitCode == unit).all().map(\.quarter))
        let keptSince = try await Ledger.keptSince(units, on: db)
        let name = try await Unit.names(of: [unit], on: db)[unit] ?? unit
        return LedgerBook(
            unit: unit, unitName: name, year: year, held: Ledger.held(in: records.filter { $0.unitCode == unit }),
            groups: groups.map { group in
                (group.code, group.name, Ledger.held(in: records.filter { [group.code, unit].contains($0.unitCode) }))
            },
            keptSince: keptSince, countedFrom: countedFrom(keptSince: keptSince, completed: completed), completed: completed)
    }

    /// The ledger counts from the first quarter marked complete, or else from the quarter after the one it began
    /// in: the quarter of the first record holds only what was entered since (部分记账).
    static func countedFrom(keptSince: Quarter?, completed: Set<String>) -> CalendarDay? {
        let marked = completed.compactMap(Quarter.init(code:)).min()
        let afterFirst = keptSince.flatMap { first in
            first.quarter == 4 ? Quarter(year: first.year + 1, quarter: 1) : Quarter(year: first.year, quarter: first.quarter + 1)
        }
        return [marked, afterFirst].compactMap { $0 }.min()?.firstDay
    }

    /// Whether `quarter` is 部分记账: begun before the ledger counts.
    func isPartial(_ quarter: Quarter) -> Bool {
        guard let countedFrom else { return true }
        return quarter.firstDay < countedFrom
    }

    /// Every requirement's windows for `quarter`, read on `asOf`; a requirement counted per group is counted for
    /// each group by itself (one group's meetings never hide another's gap), or for the unit when it has none.
    func lines(of quarter: Quarter, rubric: Rubric, asOf: CalendarDay) -> [Line] {
        // Nothing counted yet: every window is shown, none deducts.
        let from = countedFrom ?? CalendarDay(year: 2999, month: 12, day: 31)!
        return rubric.requirements.flatMap { requirement -> [Line] in
            if requirement.eachGroup, !groups.isEmpty {
                return groups.flatMap { group in
                    LedgerCount.tallies(of: quarter, requirement, held: group.held[requirement.activity] ?? [],
                                        asOf: asOf, countedFrom: from)
                        .map { Line(group: (group.code, group.name), tally: $0) }
                }
            }
            return LedgerCount.tallies(of: quarter, requirement, held: held[requirement.activity] ?? [], asOf: asOf,
                                       countedFrom: from).map { Line(group: nil, tally: $0) }
        }
    }

    /// The entries the ledger implies for a sheet of `quarter`: one suggestion per deduct rule, counting every
    /// window it falls short of, less what entries under that rule already count.
    func suggestions(for quarter: Quarter, rubric: Rubric, asOf: CalendarDay, entries: [AssessmentEntry]) -> [SuggestionDTO] {
        let shortfalls = lines(of: quarter, rubric: rubric, asOf: asOf).filter { $0.tally.missing > 0 }
        var rules: [String] = []
        for line in shortfalls where !rules.contains(line.tally.requirement.rule) { rules.append(line.tally.requirement.rule) }
        return rules.compactMap { rule in
            let found = shortfalls.filter { $0.tally.requirement.rule == rule }
            let entered = entries.filter { $0.rule == rule && !$0.withdrawn }.map { $0.count ?? 1 }.saturatingSum()
            let count = found.map(\.tally.missing).saturatingSum() - entered
            guard count > 0 else { return nil }
            return SuggestionDTO(rule: rule, count: count, reason: "活动台账：" + found.map(\.shortfallText).joined(separator: "；"))
        }
    }
}
