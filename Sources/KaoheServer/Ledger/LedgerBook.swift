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
            return
                "\(who)\(tally.requirement.activity.label)\(tally.window.label) \(tally.recorded) 次，应不少于 \(tally.needed) 次"
        }
    }

    let unit: String
    let unitName: String
    let year: Int
    let held: [ActivityType: [CalendarDay]]
    /// Each group with its records and the day it is counted from when it was added later.
    let groups: [(code: String, name: String, held: [ActivityType: [CalendarDay]], from: CalendarDay?)]
    /// The quarter of the first standing record, nil when the unit keeps no ledger in Kaohe yet.
    let keptSince: Quarter?
    /// 台账启用日, when the general branch has set it (`LedgerStart`).
    let startsOn: CalendarDay?
    /// The first day the ledger counts from (部分记账 before it), nil when nothing is counted yet.
    let countedFrom: CalendarDay?
    /// The quarters the unit's secretary marked complete.
    let completed: Set<String>
    /// 党费: the months the unit recorded, the names of its members, and who owed each month (those on the roster
    /// on any day of it: one transferred in owes nothing for the months before, one transferred out nothing after).
    let dues: [DuesMonth]
    let members: [String: String]
    let owing: [String: [String]]
    /// 细则 2.3: the day each plan or summary of the year was reported.
    let documents: [DocumentKind: CalendarDay]

    /// Reads the unit's year from what its writes kept (`KeptLedgerYear`): its own row, its groups' rows, the first
    /// record below it; names and groups as the tree has them now.
    static func read(for unit: String, year: Int, on db: any Database) async throws -> LedgerBook {
        // The unit and its groups in one read: its name, and the groups counted apart.
        async let near = Unit.query(on: db).group(.or) { either in
            either.filter(\.$code == unit).group(.and) { $0.filter(\.$parentCode == unit).filter(\.$kind == .group) }
        }.sort(\.$sortOrder).sort(\.$code).all()
        async let firsts = KeptLedgerYear.firstRecords(below: [unit], on: db)
        async let start = LedgerStart.startsOn(on: db)
        let nearby = try await near
        let kept = try await KeptLedgerYear.query(on: db).filter(\.$year == year)
            .filter(\.$unitCode ~~ ([unit] + nearby.map(\.code))).all()
        return try assembled(
            unit, year: year, near: nearby, kept: kept, first: try await firsts[unit], startsOn: try await start)
    }

    /// Reads the year of each of `units` at once (台账对照's page): three statements for any number of them.
    static func read(for units: [Unit], year: Int, on db: any Database) async throws -> [String: LedgerBook] {
        guard !units.isEmpty else { return [:] }
        let codes = units.map(\.code)
        async let groupsRead = Unit.query(on: db).filter(\.$kind == .group).sort(\.$sortOrder).sort(\.$code)
            .all(where: \.$parentCode, in: codes.map { Optional($0) })
        async let firsts = KeptLedgerYear.firstRecords(below: codes, on: db)
        async let start = LedgerStart.startsOn(on: db)
        let groups = try await groupsRead
        let kept = try await KeptLedgerYear.query(on: db).filter(\.$year == year)
            .all(where: \.$unitCode, in: Set(codes + groups.map(\.code)))
        let (startsOn, firstBelow) = (try await start, try await firsts)
        let groupsOf = Dictionary(grouping: groups, by: { $0.parentCode ?? "" })
        let keptOf = Dictionary(grouping: kept, by: \.unitCode)
        var books: [String: LedgerBook] = [:]
        for unit in units {
            let near = [unit] + (groupsOf[unit.code] ?? [])
            books[unit.code] = try assembled(
                unit.code, year: year, near: near, kept: near.flatMap { keptOf[$0.code] ?? [] },
                first: firstBelow[unit.code], startsOn: startsOn)
        }
        return books
    }

    /// The book of `unit` from its kept rows and its groups': `near` is the unit and its groups in the tree's order,
    /// `first` the quarter of the first record at or below it.
    static func assembled(
        _ unit: String, year: Int, near: [Unit], kept: [KeptLedgerYear], first: Quarter?, startsOn: CalendarDay?
    ) throws -> LedgerBook {
        var owns: [String: KeptLedgerYear.Own] = [:]
        for row in kept { owns[row.unitCode] = try row.decoded() }
        let own = owns[unit] ?? .init()
        let this = near.first { $0.code == unit }
        let groups = near.filter { $0.code != unit && $0.kind == .group }
        var held = own.held
        // A month's dues handed over is that month's 党费上交, whenever it was handed over: January's dues handed over
        // on 20 February fill January's window (and are late, which `DuesCheck` finds), not February's.
        held[.duesHandover, default: []] += own.dues.filter { $0.handedOverOn != nil }.map(\.month)
        let completed = Set(own.completed)
        // The ledger began with its first record, an activity or a month's dues.
        let keptSince = [first, own.dues.first.flatMap { Quarter(of: $0.month) }].compactMap { $0 }.min()
        return LedgerBook(
            unit: unit, unitName: this?.name ?? unit, year: year, held: held,
            groups: groups.map { group in
                // A group holds its own records and those of the branch held by the whole branch or naming it.
                let parts = [owns[group.code]?.held, own.heldFor[""], own.heldFor[group.code]].compactMap { $0 }
                let held = parts.reduce(into: [ActivityType: [CalendarDay]]()) { merged, part in
                    merged.merge(part, uniquingKeysWith: +)
                }.mapValues { $0.sorted() }
                return (group.code, group.name, held, group.countedFrom.flatMap(CalendarDay.init))
            },
            keptSince: keptSince, startsOn: startsOn,
            countedFrom: countedFrom(keptSince: keptSince, completed: completed, startsOn: startsOn).map { counted in
                // A unit added later is counted from the day it was added.
                [counted, this?.countedFrom.flatMap(CalendarDay.init)].compactMap { $0 }.max() ?? counted
            },
            completed: completed, dues: own.dues, members: own.members, owing: own.owing, documents: own.documents)
    }

    /// Who owed each recorded month: the groups' roster on any day of it.
    static func owing(_ months: [DuesMonth], rosters: Memberships.Rosters) -> [String: [String]] {
        Dictionary(
            months.map { ($0.code, DuesLedger.owing(rosters, month: $0.month).sorted()) },
            uniquingKeysWith: { a, _ in a })
    }

    /// The ledger counts from the first quarter marked complete, or else from 台账启用日 (the quarter after it
    /// when it falls inside one), for every unit alike; with no start date set, from the quarter after the one
    /// the unit's ledger began in: the quarter of the first record holds only what was entered since (部分记账).
    static func countedFrom(keptSince: Quarter?, completed: Set<String>, startsOn: CalendarDay?) -> CalendarDay? {
        let marked = completed.compactMap(Quarter.init(code:)).min()?.firstDay
        if let startsOn { return [marked, LedgerStart.countedFrom(startsOn)].compactMap { $0 }.min() }
        return [marked, keptSince?.next.firstDay].compactMap { $0 }.min()
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
                    LedgerCount.tallies(
                        of: quarter, requirement, held: group.held[requirement.activity] ?? [],
                        asOf: asOf, countedFrom: [from, group.from].compactMap { $0 }.max() ?? from
                    )
                    .map { Line(group: (group.code, group.name), tally: $0) }
                }
            }
            return LedgerCount.tallies(
                of: quarter, requirement, held: held[requirement.activity] ?? [], asOf: asOf,
                countedFrom: from
            ).map { Line(group: nil, tally: $0) }
        }
    }

    /// The entries the ledger implies for a sheet of `quarter`: one suggestion per deduct rule, counting every
    /// window it falls short of and every dues finding, less what entries under that rule already count.
    func suggestions(for quarter: Quarter, rubric: Rubric, asOf: CalendarDay, entries: [SheetEntry]) -> [Suggestion] {
        let shortfalls = lines(of: quarter, rubric: rubric, asOf: asOf).filter { $0.tally.missing > 0 }
        var found: [(rule: String, count: Int, text: String)] = shortfalls.map {
            ($0.tally.requirement.rule, $0.tally.missing, "活动台账：" + $0.shortfallText)
        }
        let months = dues.filter { Quarter(of: $0.month) == quarter && !isPartialDay($0.month) }
        let findings = months.flatMap { month in
            DuesCheck.findings(
                [month], members: owing[month.code] ?? [], duesDay: rubric.schedule.duesDay, asOf: asOf)
        }
        found += DuesLedger.suggestions(findings, names: members, rubric: rubric, entries: []).map {
            ($0.rule, $0.count, $0.reason)
        }
        if let policy = rubric.documents, !isPartial(quarter) {
            for finding in DocumentCheck.findings(policy, quarter: quarter, submitted: documents, asOf: asOf) {
                let rule = finding.state == .late ? policy.lateRule ?? policy.missingRule : policy.missingRule
                found.append((rule, 1, "计划总结：" + Documents.text(finding)))
            }
        }
        var rules: [String] = []
        for line in found where !rules.contains(line.rule) { rules.append(line.rule) }
        return rules.compactMap { rule in
            let mine = found.filter { $0.rule == rule }
            return Suggestion.remaining(
                rule, found: mine.map(\.count).saturatingSum(), reason: Self.joined(mine.map(\.text)),
                rubric: rubric, entries: entries)
        }
    }

    /// 活动台账：a；b；党费：c — one prefix for each source.
    static func joined(_ texts: [String]) -> String {
        var result = ""
        var source = ""
        for text in texts {
            let prefix = text.prefix { $0 != "：" }
            let body = text.dropFirst(prefix.count + 1)
            if prefix == source {
                result += "；" + body
            } else {
                result += (result.isEmpty ? "" : "；") + text
                source = String(prefix)
            }
        }
        return result
    }

    /// Whether the day lies before the ledger counts.
    func isPartialDay(_ day: CalendarDay) -> Bool {
        guard let countedFrom else { return true }
        return day < countedFrom
    }
}
