import Fluent
import KaoheCore
import Vapor

extension LedgerImport {
    /// `month,member,amount,paidOn[,due,signed,handedOverOn]`, a row per member per month. Each month of the file
    /// becomes that month's record, as if saved on the page; a month already recorded is refused (the page edits
    /// it), so an import never overwrites what a secretary kept.
    static func dues(_ table: Table, by permit: Permit<Rights.KeepDues>, today: CalendarDay, on db: any Database)
        async throws -> Outcome
    {
        let unit = permit.unit
        let rosters = try await Ledger.rosters(of: unit, on: db)
        let recorded = Set(
            try await DuesRecord.query(on: db).filter(\.$unitCode == unit.code).filter(\.$version > 0).all().map(
                \.month))
        struct Month { var payments: [DuesPaymentRecord] = []; var handedOverOn: CalendarDay?; var firstRow: Int }
        var months: [String: Month] = [:], order: [String] = []
        let (_, problems) = table.checked { row, cells in
            let month = String(try DuesLedger.month(table.cell("month", of: cells), today: today).description.prefix(7))
            guard !recorded.contains(month) else {
                throw ValidationProblem(field: "month", rule: "\(month) 的党费已登记，请在台账页修改 (already recorded)")
            }
            let payment = try DuesLedger.payment(
                member: table.cell("member", of: cells), amount: table.cell("amount", of: cells),
                due: table.cell("due", of: cells),
                paidOn: table.cell("paidOn", of: cells), signed: try signed(table.cell("signed", of: cells)),
                month: month, unit: unit, roster: DuesLedger.owing(rosters, month: CalendarDay(month + "-01")!),
                today: today)
            let handedOverOn = try DuesLedger.handover(table.cell("handedOverOn", of: cells), today: today)
            var kept = months[month] ?? Month(firstRow: row)
            guard !kept.payments.contains(where: { $0.memberCode == payment.memberCode }) else {
                throw ValidationProblem(field: "member", rule: "\(payment.memberCode) 在 \(month) 出现了两次 (listed twice)")
            }
            if let handedOverOn {
                guard kept.handedOverOn == nil || kept.handedOverOn == handedOverOn else {
                    throw ValidationProblem(
                        field: "handedOverOn", rule: "\(month) 的上交日期与第 \(kept.firstRow) 行起的不一致 (one hand-over a month)")
                }
                kept.handedOverOn = handedOverOn
            }
            kept.payments.append(payment)
            if months[month] == nil { order.append(month) }
            months[month] = kept
        }
        guard problems.isEmpty else { return .problems(problems) }
        let (checked, ordered) = (months, order)
        try await db.writeInBatches(ordered, of: 12) { db, batch in
            for month in batch {
                guard let kept = checked[month] else { continue }
                _ = try await DuesLedger.keep(
                    kept.payments, month: month, handedOverOn: kept.handedOverOn, expecting: 0,
                    by: permit, on: db)
            }
            let years = batch.compactMap { Int($0.prefix(4)) }
            try await KeptLedgerYear.recount([permit.unit.code], years: Set(years), on: db)
        }
        return .imported(ordered.reduce(0) { $0 + (checked[$1]?.payments.count ?? 0) })
    }

    /// 是/否 as a spreadsheet writes it: 是, 已签, y, yes, true, 1, ✓ — or 否, 未签, n, no, false, 0, blank.
    private static func signed(_ text: String?) throws -> Bool {
        let value = (text ?? "").lowercased()
        if ["是", "已签", "签", "y", "yes", "true", "1", "✓", "√"].contains(value) { return true }
        if ["", "否", "未签", "n", "no", "false", "0", "×"].contains(value) { return false }
        throw ValidationProblem(field: "signed", rule: "应写 是 或 否 (yes or no)")
    }
}
