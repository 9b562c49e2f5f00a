import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 台账启用日: the day the general branch starts keeping the ledger in Kaohe. From it every branch and group is
/// counted, whether it records or not (a unit that never records is short, not 部分记账 forever); 部分记账 is
/// left only for the quarter of that day, which began before it. Unset, each unit is counted from its own first
/// record as before (`LedgerBook.countedFrom`).
enum LedgerStart {
    /// The `bureau_settings` key, and the audit subject `setting:ledger`.
    static let key = "ledger.startsOn"

    /// What the API answers: the day set (nil when none) and the first day counted in full.
    struct Setting: Content, Equatable {
        var startsOn: String?
        var countedFrom: String?
    }

    /// The day set, nil when none.
    static func startsOn(on db: any Database) async throws -> CalendarDay? {
        try await BureauSetting.find(key, on: db).flatMap { CalendarDay($0.value) }
    }

    static func setting(on db: any Database) async throws -> Setting {
        let day = try await startsOn(on: db)
        return Setting(startsOn: day?.description, countedFrom: day.map(countedFrom)?.description)
    }

    /// The first day counted in full: the start date itself when a quarter begins on it, else the next quarter's
    /// first day (the quarter of the start date is 部分记账: its records before that day were never entered).
    static func countedFrom(_ startsOn: CalendarDay) -> CalendarDay {
        let quarter = Quarter(of: startsOn)!
        guard startsOn != quarter.firstDay else { return startsOn }
        return quarter.next.firstDay
    }

    /// Reads `startsOn` as typed: `2026-01-01`, or empty to clear it. 422 naming `startsOn` for anything else, or a
    /// day before 2000 or after the end of next year (a slip of the year, not a plan).
    static func parse(_ raw: String?, today: CalendarDay) throws -> CalendarDay? {
        let text = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        guard let day = CalendarDay(text) else {
            throw ValidationProblem(field: "startsOn", rule: "日期应写作 2026-01-01 (a day such as 2026-01-01)")
        }
        guard day.year >= 2000, day.year <= today.year + 1 else {
            throw ValidationProblem(
                field: "startsOn",
                rule: "台账启用日应在 2000 年至 \(today.year + 1) 年之间 (between 2000 and the end of next year)")
        }
        return day
    }

    /// Sets (or, with nil, clears) the start date, audited with what it was. Setting the same day again changes
    /// nothing and logs nothing; two organizers at once leave one value, the later one.
    @discardableResult
    static func set(_ day: CalendarDay?, by user: User, on db: any Database) async throws -> Setting {
        try await Policy.requireLedgerStarter(user, on: db)
        try await db.writeTransaction { db in
            let before = try await startsOn(on: db)
            guard before != day else { return }
            if let day {
                try await db.sql.insert(into: BureauSetting.schema)
                    .columns("key", "value", "updated_at", "updated_by")
                    .values(SQLBind(key), SQLBind(day.description), SQLBind(Date()), SQLBind(user.username))
                    .onConflict(with: ["key"]) {
                        $0.set(excludedValueOf: "value").set(excludedValueOf: "updated_at")
                            .set(excludedValueOf: "updated_by")
                    }
                    .run()
            } else {
                try await BureauSetting.query(on: db).filter(\.$id == key).delete()
            }
            try await AuditLog.append(
                on: db, actor: user.username, action: .ledgerStart, subject: .setting("ledger"),
                before: ["startsOn": before?.description ?? ""], after: ["startsOn": day?.description ?? ""])
        }
        return try await setting(on: db)
    }
}
