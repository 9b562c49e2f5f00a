import Fluent
import KaoheCore
import SQLKit
import Vapor

/// The ledger's part of the 待办, for whoever keeps a unit's ledger (its secretary, a group's leader): this month's
/// dues to hand over, the year's plans and summary due (or overdue), and requirements behind schedule this quarter.
extension Inbox {
    /// How far ahead a plan's day is listed.
    static let documentsListedDays = 30

    static func ledgerLines(
        grants: [RoleGrant], periods: [Period], places: [String: UnitPlace], today: CalendarDay, on db: any Database
    ) async throws -> [Dated] {
        let keepers = grants.filter { [.branchSecretary, .groupLeader].contains($0.role) }.map(\.unitCode)
        guard !keepers.isEmpty, let quarter = Quarter(of: today),
            let period = periods.first(where: { $0.year == today.year }) ?? periods.first
        else { return [] }
        // The rubric each unit is scored by is its sheet's in the year's latest quarter (`Ledger.rubric`): the sheets
        // and what they keep in one read.
        let (sheets, lookup) = try await KeptSheetReading.lookup(
            sheetsOf: keepers, in: try period.requireID(), asOf: today, on: db)
        let names = places.filter { keepers.contains($0.key) }.mapValues(\.name)
        let missing = sheets.map(\.unit).filter { names[$0] == nil }
        let named = missing.isEmpty ? names : names.merging(try await Unit.names(of: missing, on: db)) { a, _ in a }
        let kept = period.year == quarter.year && period.quarter == quarter.quarter
        let dues = try await due(of: sheets, quarter: quarter, today: today, kept: kept ? lookup : nil, on: db)
        var lines: [Dated] = []
        for sheet in sheets {
            guard let (due, rubric) = dues[sheet.unit] else { continue }
            let name = named[sheet.unit] ?? sheet.unit
            let link = SiteURL.ledger(.init(sheet.unit)).path(query: ["year": "\(today.year)"])
            func line(_ kind: Kind, _ todo: String, due: CalendarDay?, anchor: String) -> Dated {
                (
                    due,
                    Line(
                        kind: kind, period: "\(today.year)", name: name + "活动台账", stateLabel: "台账", todo: todo,
                        deadline: due?.description, countdown: due.map { Countdown(to: $0, today: today) },
                        href: link + anchor)
                )
            }
            // 党费: this month's, until handed over (a branch's, by the rubric's day).
            if sheet.level == .branch,
                grants.contains(where: { $0.role == .branchSecretary && $0.unitCode == sheet.unit })
            {
                let first = CalendarDay(year: today.year, month: today.month, day: 1)!
                if !due.handedOver.contains(first) {
                    let day = CalendarDay(
                        year: today.year, month: today.month,
                        day: min(rubric.schedule.duesDay, CalendarDay.days(in: today.month, of: today.year)))!
                    lines.append(
                        line(
                            .dues, "\(today.month)月党费待登记并上交总支", due: day,
                            anchor: "&month=\(first.description.prefix(7))#dues"))
                }
            }
            // 细则 2.3: each plan not yet reported whose day is near or past.
            for requirement in rubric.documents?.due ?? [] where !due.reported.contains(requirement.kind) {
                let day = requirement.due(in: today.year)
                guard today.days(until: day) <= documentsListedDays else { continue }
                lines.append(line(.document, "\(requirement.kind.label)待上报", due: day, anchor: "#documents"))
            }
            // Requirements behind an even pace in this quarter's windows, in one line (the partial quarter left alone).
            guard let soonest = due.behind.map(\.until).min() else { continue }
            var named: [String] = []
            for found in due.behind {
                let who = found.group.map { "\(OrgTree.shortName($0, under: name))" } ?? ""
                let text = who + found.activity.label
                if !named.contains(text) { named.append(text) }
            }
            lines.append(
                line(
                    .ledger,
                    "台账进度落后：\(named.prefix(5).joined(separator: "、"))\(named.count > 5 ? "等 \(named.count) 项" : "")",
                    due: soonest, anchor: "#compliance"))
        }
        return lines
    }

    /// What each unit's ledger has due today under its sheet's rubric: in the sheet's own quarter, the reading its
    /// sheet keeps for the day (counted and kept when none is current, as 台账对照 does); in a quarter without its
    /// sheet yet (a new quarter not opened), counted from the book.
    private static func due(
        of sheets: [KeptSheetReading.UnitSheet], quarter: Quarter, today: CalendarDay,
        kept lookup: KeptSheetReading.Lookup?, on db: any Database
    ) async throws -> [String: (LedgerDue, Rubric)] {
        var dues: [String: (LedgerDue, Rubric)] = [:]
        var counted: [KeptSheetReading.Kept] = []
        for sheet in sheets {
            let rubric = try await RubricStore.rubric(id: sheet.rubric, on: db)
            if let found = lookup?.found(sheet.sheet) {
                dues[sheet.unit] = (found.due, rubric)
                continue
            }
            let book = try await LedgerBook.read(for: sheet.unit, year: today.year, on: db)
            guard lookup != nil else {
                dues[sheet.unit] = (LedgerDue(book: book, quarter: quarter, rubric: rubric, asOf: today), rubric)
                continue
            }
            let reading = try await KeptSheetReading.count(
                sheet.unit, level: sheet.level, book: book, quarter: quarter, rubric: rubric, today: today,
                facts: false, on: db)
            counted.append((sheet.sheet, sheet.rubric, reading.found, reading.listing.text))
            dues[sheet.unit] = (reading.found.due, rubric)
        }
        if let lookup { await KeptSheetReading.keep(counted, asOf: today, at: lookup, on: db) }
        return dues
    }
}
