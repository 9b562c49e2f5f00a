import Fluent
import KaoheCore
import Vapor

/// 组织关系 over time: who belonged to which 党小组 on which day, and the changes that end one stretch and begin
/// another (a move to another group, 转出, death or removal). Each change is checked whole, then written with its
/// audit event in one transaction; nothing is deleted.
enum Memberships {
    /// What a change asks for, as `POST /api/v1/units/{member}/membership` sends it.
    struct Change: Content {
        var action: String?
        /// The group moved to (`move`).
        var to: String?
        /// The day the change takes effect: the member's first day in the new group, or their first day away.
        var date: String?
        /// Where a 转出 goes.
        var destination: String?
        /// Why a member was removed (death, 出党, 除名).
        var reason: String?
    }

    /// One stretch as the history shows it.
    struct Stretch: Content, Equatable {
        let unit: String
        let name: String
        let from: String?
        let to: String?
        let action: String
        let ended: String?
        let note: String?
    }

    /// A member's stretches, oldest first: those recorded, or the one they have been in since before the history.
    static func stretches(of member: Unit, on db: any Database) async throws -> [Membership] {
        let recorded = try await Membership.query(on: db).filter(\.$memberCode == member.code).all()
            .sorted { ($0.from ?? "", $0.createdAt ?? .distantPast) < ($1.from ?? "", $1.createdAt ?? .distantPast) }
        guard recorded.isEmpty, let group = member.parentCode else { return recorded }
        return [Membership(member: member.code, group: group, from: nil, beganBy: .founding)]
    }

    /// Adds a unit from a day: a branch or group counted by the ledger from it, a member in their group from it (a
    /// 转入 when `origin` names where they came from). With no day, the unit counts since ever.
    static func add(
        _ unit: Unit, from: CalendarDay?, transferredFrom origin: String?, actor: String, on db: any Database
    ) async throws {
        if unit.kind != .member { unit.countedFrom = from?.description }
        try await db.writeTransaction { db in
            try await OrgTree.create(unit, actor: actor, on: db)
            if unit.kind == .member, let group = unit.parentCode, from != nil || origin != nil {
                let stretch = Membership(
                    member: unit.code, group: group, from: from?.description,
                    beganBy: origin == nil ? .founding : .transferIn, note: origin)
                try await stretch.create(on: db)
                try await AuditLog.append(
                    on: db, actor: actor, action: .membershipChange, subject: .unit(unit.code),
                    after: [Memberships.record(stretch)])
            }
            try await KeptLedgerYear.rostersChanged(around: [unit.code], on: db)
        }
    }

    /// Ends the member's current stretch the day before `change.date` and, for a move, begins the next.
    @discardableResult
    static func apply(
        _ change: Change, to memberCode: String, by actor: String, today: CalendarDay, on db: any Database
    ) async throws -> [Membership] {
        guard let action = change.action.flatMap(Membership.Action.init(rawValue:)),
            [.move, .transferOut, .remove].contains(action)
        else {
            throw ValidationProblem(
                field: "action", rule: "应为 move、transferOut 或 remove 之一 (one of move, transferOut, remove)")
        }
        let day = try Self.day(change.date, today: today)
        let note: String?
        switch action {
        case .transferOut: note = try text(change.destination, field: "destination", label: "转往的组织")
        case .remove: note = try text(change.reason, field: "reason", label: "原因")
        default: note = nil
        }
        return try await db.writeTransaction { db in
            guard let member = try await Unit.held(memberCode, on: db), member.kind == .member else {
                throw Abort(.notFound, reason: "党员 \(memberCode) 不存在")
            }
            if let left = member.leftOn {
                throw Abort(.conflict, reason: "\(member.name) 已于 \(left) 离开本组织，不能再变动 (already left)")
            }
            var stretches = try await stretches(of: member, on: db)
            guard let current = stretches.last, current.to == nil else {
                throw Abort(.conflict, reason: "\(member.name) 当前不在任何党小组 (no current group)")
            }
            if let began = current.from.flatMap(CalendarDay.init), day <= began {
                // Another change took effect on or after that day, recorded meanwhile or before: the person asking
                // did not know of it.
                throw Abort(
                    .conflict,
                    reason: "\(member.name) 已于 \(began) 调入现党小组，新的变动须晚于该日 (a change from \(began) is recorded)")
            }
            if let joined = member.joinedOn.flatMap(CalendarDay.init), day <= joined {
                throw ValidationProblem(field: "date", rule: "应晚于入党日期 \(joined) (after the member joined)")
            }
            var group: Unit?
            if action == .move {
                group = try await movableGroup(change.to, from: current.groupCode, on: db)
            }
            let before = stretches.map(record)
            if current.id == nil { try await current.create(on: db) }  // the stretch before the history, recorded now
            current.to = day.adding(days: -1).description
            current.endedBy = action
            current.endedNote = note
            try await current.save(on: db)
            if let group {
                let next = Membership(member: member.code, group: group.code, from: day.description, beganBy: .move)
                try await next.create(on: db)
                stretches.append(next)
                member.parentCode = group.code
            } else {
                member.leftOn = day.description
            }
            try await member.save(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .membershipChange, subject: .unit(member.code),
                before: before, after: stretches.map(record))
            try await KeptLedgerYear.rostersChanged(around: [member.code, current.groupCode], on: db)
            return stretches
        }
    }

    /// The 党小组 a member may move to: an existing group, not the one they are in.
    private static func movableGroup(_ raw: String?, from current: String, on db: any Database) async throws -> Unit {
        let code = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !code.isEmpty else { throw ValidationProblem(field: "to", rule: "请选择调入的党小组 (required)") }
        guard code != current else {
            throw ValidationProblem(field: "to", rule: "\(code) 就是该党员现在的党小组 (their own group)")
        }
        guard let group = try await Unit.query(on: db).filter(\.$code == code).first(), group.kind == .group else {
            throw ValidationProblem(field: "to", rule: "\(code.prefix(64)) 不是本局的党小组 (not a group)")
        }
        if let retired = group.leftOn {
            throw ValidationProblem(field: "to", rule: "\(group.name) 已于 \(retired) 撤销 (a retired group)")
        }
        return group
    }

    static func day(_ raw: String?, today: CalendarDay, field: String = "date") throws -> CalendarDay {
        try CalendarDay.past(raw ?? "", field: field, today: today)
    }

    private static func text(_ raw: String?, field: String, label: String) throws -> String {
        let text = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= 200 else {
            throw ValidationProblem(field: field, rule: "请写明\(label)，不超过 200 字 (required, at most 200 characters)")
        }
        return text
    }

    /// What the audit log keeps of a stretch.
    struct Record: Codable {
        let group: String
        let from: String?
        let to: String?
        let began: String
        let ended: String?
        let note: String?
    }

    static func record(_ stretch: Membership) -> Record {
        Record(
            group: stretch.groupCode, from: stretch.from, to: stretch.to, began: stretch.beganBy.rawValue,
            ended: stretch.endedBy?.rawValue, note: stretch.endedNote ?? stretch.beganNote)
    }

    // MARK: Who is assessed

    /// The units with a sheet in `quarter`: the branches and groups in being on some day of it (added by its last day,
    /// not retired by its first), and the members on the roster long enough by the member rubric's `rosterShare`.
    static func assessed(in quarter: Quarter, by schedule: Schedule?, on db: any Database) async throws -> [Unit] {
        let (first, last) = (quarter.firstDay.description, quarter.lastDay.description)
        let units = try await Unit.query(on: db).filter(\.$kind != .general).all()
        let recorded = Dictionary(grouping: try await Membership.query(on: db).all(), by: \.memberCode)
        return units.filter { unit in
            guard unit.kind == .member else {
                return (unit.countedFrom ?? "") <= last && (unit.leftOn ?? "9999-12-31") > first
            }
            guard let stretches = recorded[unit.code] else { return unit.leftOn.map { $0 > first } ?? true }
            let days = stretches.reduce(0) { $0 + quarter.days(from: $1.from, to: $1.to) }
            return (schedule ?? .standard).assesses(daysOnRoster: days, of: quarter)
        }
    }

    // MARK: The roster of a day

    /// The stretches of some groups, read once, for the roster of any day or month.
    struct Rosters: Sendable {
        struct Stretch: Sendable {
            let member: String
            let group: String
            let from: String
            let to: String
        }
        let stretches: [Stretch]

        /// Who sat in the groups on `day`, by group.
        func on(_ day: CalendarDay) -> [String: [String]] {
            let date = day.description
            return Dictionary(grouping: stretches.filter { $0.from <= date && $0.to >= date }, by: \.group)
                .mapValues { $0.map(\.member) }
        }

        /// The stretches cut to the days each group spent where it is counted (`UnitChanges.stays`).
        func within(_ stays: [UnitChanges.Stay]) -> Rosters {
            let byGroup = Dictionary(grouping: stays, by: \.group)
            return Rosters(
                stretches: stretches.flatMap { stretch in
                    (byGroup[stretch.group] ?? []).compactMap { stay in
                        let from = max(stretch.from, stay.from), to = min(stretch.to, stay.to)
                        return from <= to
                            ? Stretch(member: stretch.member, group: stretch.group, from: from, to: to) : nil
                    }
                })
        }

        /// Who sat in any of the groups on any day from `first` to `last` (a month's dues are owed by them).
        func during(_ first: CalendarDay, _ last: CalendarDay) -> [String] {
            let (from, to) = (first.description, last.description)
            return Array(Set(stretches.filter { $0.from <= to && $0.to >= from }.map(\.member))).sorted()
        }
    }

    /// The stretches in these groups: those recorded, and for each member with none, their group since ever (not
    /// saved, as `stretches(of:)` gives it).
    static func stretches(inGroups groups: [String], on db: any Database) async throws -> [Membership] {
        var stretches: [Membership] = []
        for slice in groups.chunked(into: 500) {
            stretches += try await Membership.query(on: db).filter(\.$groupCode ~~ Array(slice)).all()
            let sitting = try await Unit.query(on: db).filter(\.$parentCode ~~ Array(slice))
                .filter(\.$kind == .member).all()
            let withHistory = Set(
                try await Membership.query(on: db).filter(\.$memberCode ~~ sitting.map(\.code)).all().map(\.memberCode))
            stretches += sitting.filter { !withHistory.contains($0.code) }.compactMap { member in
                member.parentCode.map { Membership(member: member.code, group: $0, from: nil, beganBy: .founding) }
            }
        }
        return stretches
    }

    /// The stretches in these groups, for the roster of any day or month.
    static func rosters(of groups: [String], on db: any Database) async throws -> Rosters {
        Rosters(
            stretches: try await stretches(inGroups: groups, on: db).map {
                .init(member: $0.memberCode, group: $0.groupCode, from: $0.from ?? "", to: $0.to ?? "9999-12-31")
            })
    }
}
