import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 活动台账: the unit's record of what it held. The secretary (a group's leader) records; the unit and those
/// above it read; KaoheCore's `ActivityShortfall` turns the records into the deductions a sheet is offered.
enum Ledger {
    /// What a record is made of, from the API's JSON or the page's form: people as member codes of the unit or
    /// its groups — who attended, who was absent without leave, who was absent with leave (请假).
    struct Input: Content {
        var type: String?
        var date: String?
        var topic: String?
        /// On a branch: the 党小组 that held it (required for a 党小组会 when the branch has groups).
        var group: String?
        var attendees: [String]?
        var absent: [String]?
        var excused: [String]?
    }

    /// Checks and keeps one record, audited. Each refusal names the field and the rule.
    static func record(_ input: Input, by permit: Permit<Rights.RecordLedger>, today: CalendarDay, on db: any Database)
        async throws -> Activity
    {
        let rosters = try await rosters(of: permit.unit, on: db)
        let groups = Set(try await Unit.groups(of: permit.unit.code, on: db).map(\.code))
        let activity = try checked(
            input, for: permit.unit, actor: permit.actor, today: today, rosters: rosters, groups: groups)
        try await db.writeTransaction { db in
            try await keep(activity, by: permit, on: db)
            try await KeptLedgerYear.recount([activity.unitCode], years: [activity.year], on: db)
        }
        return activity
    }

    /// The stretches of the unit's groups (its own, for a group), for the roster of an activity's day.
    static func rosters(of unit: Unit, on db: any Database) async throws -> Memberships.Rosters {
        try await rosters(of: unit.code, kind: unit.kind, on: db)
    }

    /// A group's own stretches; a branch's, of every group on the days it was in the branch (one that moved away
    /// still counts for the days before its move).
    static func rosters(of unit: String, kind: Unit.Kind?, on db: any Database) async throws -> Memberships.Rosters {
        switch kind {
        case .group: return try await Memberships.rosters(of: [unit], on: db)
        case .branch:
            let stays = try await UnitChanges.stays(in: unit, on: db)
            return try await Memberships.rosters(of: Array(Set(stays.map(\.group))).sorted(), on: db).within(stays)
        default: return Memberships.Rosters(stretches: [])
        }
    }

    /// The record `input` makes, or the first thing wrong with it (422 naming the field); nothing is written.
    /// `groups`: the codes of the unit's 党小组 (a branch's), which a record may name. Its people are those on the
    /// roster on its day (`rosters`): one who has left, or not yet come, was neither present nor absent.
    static func checked(
        _ input: Input, for unit: Unit, actor: String, today: CalendarDay, rosters: Memberships.Rosters,
        groups: Set<String>
    ) throws -> Activity {
        guard let type = input.type.flatMap(ActivityType.init(rawValue:)) else {
            let names = ActivityType.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationProblem(field: "type", rule: "活动类型应为 \(names) 之一 (unknown type)")
        }
        guard
            let day = input.date.flatMap({ CalendarDay(InputText.halfWidth($0).trimmingCharacters(in: .whitespaces)) })
        else {
            throw ValidationProblem(field: "date", rule: "日期应写作 2026-07-06 (a date YYYY-MM-DD is required)")
        }
        guard day <= today, day.year >= 2000 else {
            throw ValidationProblem(field: "date", rule: "不能登记 \(today) 之后的活动 (a date in the future)")
        }
        let topic = (input.topic ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !topic.isEmpty, topic.count <= 200 else {
            throw ValidationProblem(field: "topic", rule: "请写明主题，不超过 200 字 (a topic of 1–200 characters is required)")
        }
        let group = try self.group(input.group, type: type, groups: groups)
        let roster = Set(rosters.on(day).values.joined())
        let attendees = try people(input.attendees, field: "attendees", roster: roster, on: day)
        let absent = try people(input.absent, field: "absent", roster: roster, on: day)
        let excused = try people(input.excused, field: "excused", roster: roster, on: day)
        if let twice = attendees.first(where: absent.contains) ?? (attendees + absent).first(where: excused.contains) {
            throw ValidationProblem(field: "absent", rule: "\(twice) 不能既参加又缺席或请假 (a member is listed twice)")
        }
        let activity = Activity()
        activity.unitCode = unit.code
        activity.type = type
        activity.date = day.description
        activity.topic = topic
        activity.groupCode = group
        activity.attendees = attendees.joined(separator: "\n")
        activity.absent = absent.joined(separator: "\n")
        activity.excused = excused.joined(separator: "\n")
        activity.createdBy = actor
        activity.withdrawn = false
        return activity
    }

    /// Writes a checked record and its audit event, inside the caller's write transaction.
    static func keep(_ activity: Activity, by permit: Permit<Rights.RecordLedger>, on db: any Database) async throws {
        precondition(activity.unitCode == permit.unit.code, "a permit is for its own unit's records")
        try await activity.create(on: db)
        try await AuditLog.append(
            on: db, actor: permit.actor, action: .activityRecord, subject: .unit(activity.unitCode),
            after: [
                "type": activity.type.rawValue, "date": activity.date, "topic": activity.topic,
                "group": activity.groupCode ?? "",
                "attendees": "\(Activity.codes(activity.attendees).count)",
                "absent": "\(Activity.codes(activity.absent).count)",
                "excused": "\(Activity.codes(activity.excused).count)",
            ])
    }

    /// Withdraws a mistaken record, keeping it with who withdrew it and why; it no longer counts. The reason is
    /// required; an unknown or already withdrawn record is 404.
    static func withdraw(_ id: UUID?, reason: String?, by permit: Permit<Rights.RecordLedger>, on db: any Database)
        async throws
    {
        let (unit, actor) = (permit.unit, permit.actor)
        guard let id,
            let activity = try await Activity.query(on: db).filter(\.$id == id).filter(\.$unitCode == unit.code)
                .filter(\.$withdrawn == false).first()
        else { throw Abort(.notFound, reason: "没有这条活动记录") }
        let reason = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 200 else {
            throw ValidationProblem(
                field: "reason", rule: "撤销须写明理由，不超过 200 字 (a reason of 1–200 characters is required)")
        }
        try await db.writeTransaction { db in
            // Withdrawn only if it still stands: of two withdrawals at once the second finds it gone (404), where
            // saving the row read before would let both succeed with two audit events.
            let withdrawn = try await db.sql.update(Activity.schema)
                .set("withdrawn", to: SQLBind(true)).set("withdrawn_by", to: SQLBind(actor))
                .set("withdrawn_reason", to: SQLBind(reason))
                .where("id", .equal, SQLBind(id)).where("withdrawn", .equal, SQLBind(false))
                .returning("id").all()
            guard !withdrawn.isEmpty else { throw Abort(.notFound, reason: "没有这条活动记录（已撤销）") }
            try await AuditLog.append(
                on: db, actor: actor, action: .activityWithdraw, subject: .unit(unit.code),
                after: [
                    "type": activity.type.rawValue, "date": activity.date, "topic": activity.topic, "reason": reason,
                ])
            try await KeptLedgerYear.recount([unit.code], years: [activity.year], on: db)
        }
    }

    /// The group a branch's record names: one of its groups, only for what a group holds, and required for a
    /// 党小组会 (a meeting of no group would count for every group).
    private static func group(_ raw: String?, type: ActivityType, groups: Set<String>) throws -> String? {
        let code = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !code.isEmpty else {
            if type == .groupMeeting, !groups.isEmpty {
                throw ValidationProblem(field: "group", rule: "党小组会须注明是哪个党小组开的 (a group meeting names its group)")
            }
            return nil
        }
        guard groups.contains(code) else {
            throw ValidationProblem(field: "group", rule: "\(code.prefix(64)) 不是本支部的党小组 (not a group of this branch)")
        }
        guard [.groupMeeting, .branchActivity].contains(type) else {
            throw ValidationProblem(
                field: "group", rule: "只有党小组会、组织活动可以注明党小组 (only a group meeting or activity names a group)")
        }
        return code
    }

    /// Member codes, each once, every one a member of the unit or its groups; 422 naming those who are not.
    private static func people(_ raw: [String]?, field: String, roster: Set<String>, on day: CalendarDay) throws
        -> [String]
    {
        var codes: [String] = []
        for code in (raw ?? []).map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        where !code.isEmpty && !codes.contains(code) {
            codes.append(code)
        }
        guard codes.count <= 1000 else {
            throw ValidationProblem(field: field, rule: "至多 1000 人 (at most 1000 members)")
        }
        let strangers = codes.filter { !roster.contains($0) }
        guard strangers.isEmpty else {
            let shown = strangers.prefix(5).map { String($0.prefix(50)) }.joined(separator: "、")
            throw ValidationProblem(
                field: field, rule: "\(day) 不在本组织党员名单上：\(shown) (not members of the unit on that day)")
        }
        return codes
    }

    /// The unit's roster: its members (党员), or for a branch those of its groups, in the tree's order.
    static func members(of unit: String, on db: any Database) async throws -> [Unit] {
        try await members(among: Array(try await Access.unitsAndDescendants(of: [unit], on: db)), on: db)
    }

    /// The member units among these codes (a unit and those below it), group by group in the tree's order.
    static func members(among codes: [String], on db: any Database) async throws -> [Unit] {
        try await Unit.query(on: db).filter(\.$kind == .member).filter(\.$leftOn == nil).all(where: \.$code, in: codes)
            .sorted { ($0.parentCode ?? "", $0.sortOrder, $0.code) < ($1.parentCode ?? "", $1.sortOrder, $1.code) }
    }

    /// The records of these units in one year, in the order held; withdrawn ones only when asked for.
    static func records(of units: [String], year: Int, withdrawn: Bool = false, on db: any Database) async throws
        -> [Activity]
    {
        var query = Activity.query(on: db)
        if !withdrawn { query = query.filter(\.$withdrawn == false) }
        return
            try await query
            .filter(\.$date >= "\(year)-01-01").filter(\.$date <= "\(year)-12-31")
            .all(where: \.$unitCode, in: units)
            .sorted { ($0.date, $0.createdAt ?? .distantPast) < ($1.date, $1.createdAt ?? .distantPast) }
    }

    /// The unit's code and those of every unit under it, the unit first.
    /// One recursive query down the tree: every draft sheet's document asks, and reading a city's 56,000 units to
    /// walk it made each entry's save wait for them.
    static func unitAndBelow(_ unit: String, on db: any Database) async throws -> [String] {
        [unit] + (try await Access.unitsAndDescendants(of: [unit], on: db)).subtracting([unit]).sorted()
    }

    /// The quarter of the first standing record of the unit or the units under it: the ledger says nothing of
    /// the time before it. Nil when none of them keeps a ledger in Kaohe.
    static func keptSince(_ units: [String], on db: any Database) async throws -> Quarter? {
        let first = try await Activity.query(on: db).filter(\.$unitCode ~~ units).filter(\.$withdrawn == false)
            .sort(\.$date).first()
        return first.flatMap { CalendarDay($0.date) }.flatMap(Quarter.init(of:))
    }

    /// The days of each kind of activity among these records, the withdrawn left out.
    static func held(in records: [Activity]) -> [ActivityType: [CalendarDay]] {
        var held: [ActivityType: [CalendarDay]] = [:]
        for record in records where !record.withdrawn {
            guard let day = CalendarDay(record.date) else { continue }
            let type = record.type
            held[type, default: []].append(day)
        }
        return held
    }

    /// The entries the ledger implies for a sheet of `quarter` from the unit's book, read as the quarter ended (or
    /// today, while it runs), and the pace of its windows still running then.
    static func reading(
        of book: LedgerBook, quarter: Quarter, rubric: Rubric, entries: [SheetEntry], today: CalendarDay
    ) -> Reading {
        guard !rubric.requirements.isEmpty || rubric.documents != nil else { return Reading(suggestions: [], pace: []) }
        let asOf = min(today, quarter.lastDay)
        let running = book.lines(of: quarter, rubric: rubric, asOf: asOf).filter {
            !$0.tally.ended && [.quarter, .half, .year].contains($0.tally.window.span) && $0.tally.window.first <= asOf
        }
        return Reading(
            suggestions: book.suggestions(for: quarter, rubric: rubric, asOf: asOf, entries: entries),
            pace: book.keptSince == nil ? [] : running.map(Pace.init))
    }

    /// What the ledger says on a sheet: its suggestions, and the pace of the windows still running.
    struct Reading: Sendable {
        let suggestions: [Suggestion]
        let pace: [Pace]
    }

    /// Marks the unit's ledger of `quarter` complete (部分记账 ends), audited. Marking it again, or two secretaries
    /// at once, leaves one mark and one event: the insert gives way to the mark already there instead of failing.
    static func markComplete(_ quarter: Quarter, by permit: Permit<Rights.RecordLedger>, on db: any Database)
        async throws
    {
        let (unit, actor) = (permit.unit, permit.actor)
        try await db.writeTransaction { db in
            let sql = db as! any SQLDatabase
            let inserted = try await sql.insert(into: LedgerCompletion.schema)
                .columns("id", "created_at", "unit_code", "quarter", "marked_by")
                .values(SQLBind(UUID()), SQLBind(Date()), SQLBind(unit.code), SQLBind(quarter.code), SQLBind(actor))
                .ignoringConflicts(with: ["unit_code", "quarter"])
                .returning("id").all()
            guard !inserted.isEmpty else { return }
            try await AuditLog.append(
                on: db, actor: actor, action: .ledgerComplete, subject: .unit(unit.code),
                after: ["quarter": quarter.code])
            try await KeptLedgerYear.recount([unit.code], years: [quarter.year], on: db)
        }
    }

    /// The rubric the unit's sheets are scored by: its sheet's in the year's latest quarter, else in the latest one
    /// (the 待办 picks the same sheet, `Inbox.ledgerLines`).
    static func rubric(for unit: Unit, year: Int, on db: any Database) async throws -> Rubric? {
        let periods = try await Period.newestFirst(on: db)
        guard let period = periods.first(where: { $0.year == year }) ?? periods.first,
            let sheet = try await Sheet.query(on: db).filter(\.$period.$id == period.requireID())
                .filter(\.$unitCode == unit.code).first()
        else { return nil }
        return try await RubricStore.rubric(id: sheet.$rubric.id, on: db)
    }
}
