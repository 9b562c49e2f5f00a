import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 党费 (细则 2.8) as the branch's secretary keeps it, month by month: each member's payment (amount, what was due,
/// the day paid, the 《党费证》 signature) and the month's hand-over to the organizer. Saving a month replaces it
/// whole; a save made from an older version of the month is refused (409), not merged.
enum DuesLedger {
    typealias Amount = AmountText

    struct Input: Content {
        struct Payment: Content {
            var member: String?
            var amount: Amount?
            var due: Amount?
            var paidOn: String?
            var signed: Bool?
        }
        var payments: [Payment]?
        var handedOverOn: String?
        /// The month's version as the writer read it; a newer one makes the save stale.
        var version: Int?
    }

    struct MonthDTO: Content {
        struct Payment: Content {
            let member: String
            let amount: String
            let due: String?
            let paidOn: String?
            let signed: Bool
        }
        let month: String
        let handedOverOn: String?
        let version: Int
        let payments: [Payment]
    }

    /// Who owes the month starting `first`: on the roster on any day of it.
    static func owing(_ rosters: Memberships.Rosters, month first: CalendarDay) -> Set<String> {
        let last = CalendarDay(
            year: first.year, month: first.month, day: CalendarDay.days(in: first.month, of: first.year))!
        return Set(rosters.during(first, last))
    }

    /// `2026-08`, a month that has begun; 422 naming `month` otherwise.
    static func month(_ raw: String?, today: CalendarDay) throws -> CalendarDay {
        guard let raw, raw.count == 7, let first = CalendarDay(raw + "-01") else {
            throw ValidationProblem(field: "month", rule: "月份应写作 2026-08 (a month YYYY-MM)")
        }
        guard first <= today, first.year >= 2000 else {
            throw ValidationProblem(field: "month", rule: "\(raw) 尚未开始 (a month that has not begun)")
        }
        return first
    }

    /// Checks every line, then replaces the month in one transaction, audited. Each refusal names its field.
    static func save(
        _ input: Input, month first: CalendarDay, by permit: Permit<Rights.KeepDues>, today: CalendarDay,
        on db: any Database
    ) async throws -> MonthDTO {
        let unit = permit.unit
        let code = String(first.description.prefix(7))
        let roster = owing(try await Ledger.rosters(of: unit, on: db), month: first)
        var seen: Set<String> = []
        var payments: [DuesPaymentRecord] = []
        for (index, line) in (input.payments ?? []).enumerated() {
            let field = "payments[\(index)]."
            let payment = try payment(
                member: line.member, amount: line.amount?.text, due: line.due?.text, paidOn: line.paidOn,
                signed: line.signed ?? false, month: code, unit: unit, roster: roster, today: today, field: field)
            guard seen.insert(payment.memberCode).inserted else {
                throw ValidationProblem(field: field + "member", rule: "\(payment.memberCode) 出现了两次 (listed twice)")
            }
            payments.append(payment)
        }
        let handedOverOn = try handover(input.handedOverOn, today: today)
        let saved = payments
        return try await db.writeTransaction { db in
            let month = try await keep(
                saved, month: code, handedOverOn: handedOverOn, expecting: input.version, by: permit, on: db)
            try await KeptLedgerYear.recount([permit.unit.code], years: [first.year], on: db)
            return month
        }
    }

    /// One member's line of a month, checked; each refusal names `field` + the line's field.
    static func payment(
        member raw: String?, amount: String?, due: String?, paidOn: String?, signed: Bool, month: String,
        unit: Unit, roster: Set<String>, today: CalendarDay, field: String = ""
    ) throws -> DuesPaymentRecord {
        let member = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard roster.contains(member) else {
            throw ValidationProblem(
                field: field + "member", rule: "不是本支部的党员：\(member.prefix(50)) (not a member of the branch)")
        }
        let payment = DuesPaymentRecord()
        payment.unitCode = unit.code
        payment.month = month
        payment.memberCode = member
        payment.amount = "\(try Penalties.amount(amount ?? "", field: field + "amount"))"
        payment.due = try due.flatMap { $0.isEmpty ? nil : $0 }.map {
            "\(try Penalties.amount($0, field: field + "due"))"
        }
        payment.paidOn = try paidOn.flatMap { $0.isEmpty ? nil : $0 }.map {
            try day($0, field: field + "paidOn", today: today)
        }?.description
        payment.signed = signed
        return payment
    }

    /// The month's hand-over day, if given.
    static func handover(_ text: String?, today: CalendarDay) throws -> CalendarDay? {
        try text.flatMap { $0.isEmpty ? nil : $0 }.map { try day($0, field: "handedOverOn", today: today) }
    }

    /// Replaces the month with `payments`, inside the caller's transaction, audited. `expecting` is the version the
    /// writer read (409 when the month has moved on since); nil takes the month as it is.
    static func keep(
        _ payments: [DuesPaymentRecord], month code: String, handedOverOn: CalendarDay?, expecting version: Int?,
        by permit: Permit<Rights.KeepDues>, on db: any Database
    ) async throws -> MonthDTO {
        let (unit, actor) = (permit.unit, permit.actor)
        let sql = db as! any SQLDatabase
        // The month's row exists before it is held, so that two first saves wait for each other.
        try await sql.insert(into: DuesRecord.schema).columns("id", "unit_code", "month", "version", "updated_by")
            .values(SQLBind(UUID()), SQLBind(unit.code), SQLBind(code), SQLBind(0), SQLBind(actor))
            .ignoringConflicts(with: ["unit_code", "month"]).run()
        let hold: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        guard
            let record = try await db.rows(
                DuesRecord.self,
                """
                SELECT * FROM \(ident: DuesRecord.schema) WHERE unit_code = \(bind: unit.code) AND month = \(bind: code)\(hold)
                """
            ).first
        else { throw Abort(.internalServerError) }
        if let version, version != record.version {
            throw Abort(.conflict, reason: "\(code) 的党费已被他人修改（现为第 \(record.version) 版），请刷新后再改 (stale version)")
        }
        try await DuesPaymentRecord.query(on: db).filter(\.$unitCode == unit.code).filter(\.$month == code).delete()
        try await payments.create(on: db)
        record.handedOverOn = handedOverOn?.description
        record.version += 1
        record.updatedBy = actor
        try await record.save(on: db)
        try await AuditLog.append(
            on: db, actor: actor, action: .duesRecord, subject: .unit(unit.code),
            after: ["month": code, "payments": "\(payments.count)", "handedOverOn": handedOverOn?.description ?? ""])
        return dto(record, payments: payments)
    }

    private static func day(_ text: String, field: String, today: CalendarDay) throws -> CalendarDay {
        try CalendarDay.past(text, field: field, today: today)
    }

    static func dto(_ record: DuesRecord, payments: [DuesPaymentRecord]) -> MonthDTO {
        MonthDTO(
            month: record.month, handedOverOn: record.handedOverOn, version: record.version,
            payments: payments.sorted { $0.memberCode < $1.memberCode }.map {
                .init(member: $0.memberCode, amount: $0.amount, due: $0.due, paidOn: $0.paidOn, signed: $0.signed)
            })
    }

    /// The recorded months of these units in `year`, oldest first, as the API shows them.
    static func records(of units: [String], year: Int, on db: any Database) async throws -> [(
        DuesRecord, [DuesPaymentRecord]
    )] {
        let (from, to) = ("\(year)-01", "\(year)-12")
        let records = try await DuesRecord.query(on: db).filter(\.$unitCode ~~ units).filter(\.$month >= from)
            .filter(\.$month <= to).filter(\.$version > 0).sort(\.$month).all()
        guard !records.isEmpty else { return [] }
        let payments = try await DuesPaymentRecord.query(on: db).filter(\.$unitCode ~~ units).filter(\.$month >= from)
            .filter(\.$month <= to).all()
        return records.map { record in
            (record, payments.filter { $0.unitCode == record.unitCode && $0.month == record.month })
        }
    }

    /// The same months as KaoheCore checks them.
    static func months(_ records: [(DuesRecord, [DuesPaymentRecord])]) -> [DuesMonth] {
        records.compactMap { record, payments in
            guard let first = CalendarDay(record.month + "-01") else { return nil }
            return DuesMonth(
                month: first, handedOverOn: record.handedOverOn.flatMap(CalendarDay.init),
                payments: payments.map {
                    DuesPayment(
                        member: $0.memberCode, amount: Decimal(string: $0.amount) ?? 0,
                        due: $0.due.flatMap { Decimal(string: $0) },
                        paidOn: $0.paidOn.flatMap(CalendarDay.init), signed: $0.signed)
                })
        }
    }

    /// 8月 王二未交 — a finding as the sheet and the ledger say it.
    static func text(_ finding: DuesCheck.Finding, names: [String: String], duesDay: Int) -> String {
        let month = "\(Int(finding.month.suffix(2)) ?? 0)月"
        let who = finding.member.map { names[$0] ?? $0 } ?? ""
        return switch finding.kind {
        case .unpaid: "\(month) \(who)未交"
        case .short: "\(month) \(who)未足额"
        case .unsigned: "\(month) \(who)未在《党费证》签字"
        case .lateHandover: "\(month)党费晚于 \(duesDay) 日上交"
        }
    }

    /// The suggestions a quarter's findings make under the rubric's dues rules, less what entries already count.
    static func suggestions(
        _ findings: [DuesCheck.Finding], names: [String: String], rubric: Rubric,
        entries: [SheetEntry]
    ) -> [Suggestion] {
        func text(_ finding: DuesCheck.Finding) -> String {
            Self.text(finding, names: names, duesDay: rubric.schedule.duesDay)
        }
        let groups: [(String?, [DuesCheck.Finding])] = [
            (rubric.schedule.duesRule, findings.filter { $0.kind != .unsigned }),
            (rubric.schedule.duesSignatureRule, findings.filter { $0.kind == .unsigned }),
        ]
        return groups.compactMap { rule, found in
            guard let rule, !found.isEmpty else { return nil }
            return Suggestion.remaining(
                rule, found: found.count, reason: "党费：" + found.map(text).joined(separator: "；"),
                rubric: rubric, entries: entries)
        }
    }
}
