import Fluent
import KaoheCore
import Vapor

/// The ledger's part of the 待办, for whoever keeps a unit's ledger (its secretary, a group's leader): this month's
/// dues to hand over, the year's plans and summary due (or overdue), and requirements behind schedule this quarter.
extension Inbox {
    /// How far ahead a plan's day is listed.
    static let documentsListedDays = 30

    static func ledgerLines(grants: [RoleGrant], today: CalendarDay, on db: any Database) async throws -> [Dated] {
        let keepers = grants.filter { [.branchSecretary, .groupLeader].contains($0.role) }.map(\.unitCode)
        guard !keepers.isEmpty, let quarter = Quarter(of: today) else { return [] }
        let units = try await Unit.query(on: db).filter(\.$code ~~ keepers).sort(\.$code).all()
        var lines: [Dated] = []
        for unit in units {
            let link = SiteURL.ledger(.init(unit.code)).path(query: ["year": "\(today.year)"])
            guard let rubric = try await Ledger.rubric(for: unit, year: today.year, on: db) else { continue }
            let book = try await LedgerBook.read(for: unit.code, year: today.year, on: db)
            func line(_ kind: Kind, _ todo: String, due: CalendarDay?, anchor: String) -> Dated {
                (
                    due,
                    Line(
                        kind: kind, period: "\(today.year)", name: unit.name + "活动台账", stateLabel: "台账", todo: todo,
                        deadline: due?.description, countdown: due.map { Countdown(to: $0, today: today) },
                        href: link + anchor)
                )
            }
            // 党费: this month's, until handed over (a branch's, by the rubric's day).
            if unit.kind == .branch, grants.contains(where: { $0.role == .branchSecretary && $0.unitCode == unit.code })
            {
                let first = CalendarDay(year: today.year, month: today.month, day: 1)!
                if !book.dues.contains(where: { $0.month == first && $0.handedOverOn != nil }) {
                    let due = CalendarDay(
                        year: today.year, month: today.month,
                        day: min(rubric.schedule.duesDay, CalendarDay.days(in: today.month, of: today.year)))!
                    lines.append(
                        line(
                            .dues, "\(today.month)月党费待登记并上交总支", due: due,
                            anchor: "&month=\(first.description.prefix(7))#dues"))
                }
            }
            // 细则 2.3: each plan not yet reported whose day is near or past.
            for requirement in rubric.documents?.due ?? [] where book.documents[requirement.kind] == nil {
                let due = requirement.due(in: today.year)
                guard today.days(until: due) <= documentsListedDays else { continue }
                lines.append(line(.document, "\(requirement.kind.label)待上报", due: due, anchor: "#documents"))
            }
            // Requirements behind an even pace in this quarter's windows, in one line (the partial quarter left alone).
            guard !book.isPartial(quarter) else { continue }
            let behind = book.lines(of: quarter, rubric: rubric, asOf: today).filter { $0.tally.behind }
            guard let soonest = behind.map(\.tally.window.last).min() else { continue }
            var named: [String] = []
            for found in behind {
                let who = found.group.map { "\(OrgTree.shortName($0.name, under: unit.name))" } ?? ""
                let text = who + found.tally.requirement.activity.label
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
}
