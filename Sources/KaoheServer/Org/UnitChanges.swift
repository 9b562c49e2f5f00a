import Fluent
import KaoheCore
import SQLKit
import Vapor

/// Units over time: a rename or a group's move to another branch from a day, a retirement, and the removal of a unit
/// added by mistake. Each is checked whole, then written with its audit event in one transaction.
enum UnitChanges {
    /// What `PATCH /api/v1/units/{unit}` asks for.
    struct Change: Content {
        var name: String?
        /// A 党小组's new branch.
        var parent: String?
        /// The first day under the new name or in the new branch.
        var date: String?
        var reason: String?
    }

    /// Renames the unit, or moves a group to another branch, from `change.date`. Kept rows of published quarters keep
    /// the name they were published under; today's pages show the new one.
    @discardableResult
    static func apply(
        _ change: Change, to code: String, by actor: String, today: CalendarDay, on db: any Database
    ) async throws -> Unit {
        let day = try Memberships.day(change.date, today: today)
        let reason = try note(change.reason)
        let name = change.name?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let name, name.isEmpty || name.count > 100 {
            throw ValidationProblem(field: "name", rule: "名称应为 1–100 字 (1–100 characters)")
        }
        let parent = change.parent?.trimmingCharacters(in: .whitespaces)
        guard name != nil || parent != nil else {
            throw ValidationProblem(field: "name", rule: "请写明新名称或新的上级组织 (name or parent is required)")
        }
        return try await db.writeTransaction { db in
            let unit = try await held(code, on: db)
            try await checkChangeable(unit, from: day, on: db)
            let before = OrgTree.record(unit)
            let formerParent = unit.parentCode
            var changes: [UnitChange] = []
            if let name, name != unit.name {
                changes.append(UnitChange(.rename, of: unit, from: day, reason: reason, by: actor))
            }
            if let parent {
                let branch = try await newBranch(parent, of: unit, on: db)
                changes.append(UnitChange(.move, of: unit, from: day, reason: reason, by: actor))
                unit.parentCode = branch.code
            }
            guard !changes.isEmpty else {
                throw ValidationProblem(field: "name", rule: "与现名称相同 (the unit already has this name)")
            }
            if let name { unit.name = name }
            try await changes.create(on: db)
            try await unit.save(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .unitChange, subject: .unit(code), before: before,
                after: Record(OrgTree.record(unit), from: day, reason: reason))
            try await KeptLedgerYear.rostersChanged(around: [code] + [formerParent].compactMap { $0 }, on: db)
            return unit
        }
    }

    /// What `DELETE /api/v1/units/{unit}` did.
    enum Ending { case retired, removed }

    /// Retires the unit from `date` (its history stays readable), once its members or groups have moved out; a unit
    /// never used — nothing recorded for it but untouched draft sheets — is removed outright.
    @discardableResult
    static func end(
        _ code: String, date: String?, reason rawReason: String?, by actor: String, today: CalendarDay,
        on db: any Database
    ) async throws -> Ending {
        let reason = try note(rawReason)
        return try await db.writeTransaction { db in
            let unit = try await held(code, on: db)
            guard unit.kind != .general else {
                throw Abort(.conflict, reason: "党总支不能撤销 (the general branch stays)")
            }
            if let left = unit.leftOn {
                throw Abort(.conflict, reason: "\(unit.name) 已于 \(left) 撤销或离开 (already ended)")
            }
            if try await !used(unit, on: db) {
                try await removeUnused(unit, on: db)
                try await AuditLog.append(
                    on: db, actor: actor, action: .unitRemove, subject: .unit(code), before: OrgTree.record(unit),
                    after: ["reason": reason])
                try await KeptLedgerYear.rostersChanged(around: [unit.parentCode].compactMap { $0 }, on: db)
                return .removed
            }
            guard unit.kind != .member else {
                throw Abort(
                    .conflict,
                    reason: "党员离开本组织请办理转出或除名 (POST …/membership)，其记录予以保留 (use a transfer out or a removal)")
            }
            let day = try Memberships.day(date, today: today)
            try await checkChangeable(unit, from: day, on: db)
            let remaining = try await Unit.query(on: db).filter(\.$parentCode == code).filter(\.$leftOn == nil).all()
            if !remaining.isEmpty {
                let names = remaining.prefix(5).map(\.name).joined(separator: "、")
                throw Abort(
                    .conflict,
                    reason:
                        "\(unit.name) 尚有 \(remaining.count) 个\(remaining[0].kind.label)（\(names)），请先调出 (members remain)"
                )
            }
            if let last = try await lastDayOfChildren(unit, on: db), day <= last {
                throw ValidationProblem(field: "date", rule: "应晚于最后一名党员或党小组调出之日 \(last) (after the last one left)")
            }
            try await UnitChange(.retire, of: unit, from: day, reason: reason, by: actor).create(on: db)
            unit.leftOn = day.description
            try await unit.save(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .unitRetire, subject: .unit(code), before: OrgTree.record(unit),
                after: Record(OrgTree.record(unit), from: day, reason: reason))
            try await KeptLedgerYear.rostersChanged(around: [code], on: db)
            return .retired
        }
    }

    /// What the audit log keeps of a change.
    struct Record: Codable {
        let unit: OrgTree.UnitRecord
        let from: String
        let reason: String?

        init(_ unit: OrgTree.UnitRecord, from: CalendarDay, reason: String?) {
            self.unit = unit
            self.from = from.description
            self.reason = reason
        }
    }

    // MARK: The past

    /// The days a group spent in a branch, `yyyy-MM-dd` inclusive ("" since ever, 9999-12-31 still).
    struct Stay: Sendable, Equatable {
        let group: String
        let from: String
        let to: String
    }

    /// The branch's groups now and those that have moved away, each with the days it was in the branch.
    static func stays(in branch: String, on db: any Database) async throws -> [Stay] {
        let now = try await Unit.groups(of: branch, on: db)
        let departed = try await UnitChange.query(on: db).filter(\.$action == .move).filter(\.$parentBefore == branch)
            .all().map(\.unitCode)
        let codes = Array(Set(now.map(\.code) + departed))
        let groups = try await Unit.query(on: db).filter(\.$code ~~ codes).all()
        let moves = Dictionary(
            grouping: try await UnitChange.query(on: db).filter(\.$unitCode ~~ codes).filter(\.$action == .move).all(),
            by: \.unitCode)
        return groups.flatMap { group in
            // Under each change's `parentBefore` until the day before it, then under the next.
            var stays: [Stay] = []
            var start = ""
            for move in (moves[group.code] ?? []).sorted(by: { $0.day < $1.day }) {
                if move.parentBefore == branch {
                    stays.append(
                        Stay(group: group.code, from: start, to: CalendarDay(move.day)!.adding(days: -1).description))
                }
                start = move.day
            }
            if group.parentCode == branch { stays.append(Stay(group: group.code, from: start, to: "9999-12-31")) }
            return stays
        }
    }

    /// The unit's names, oldest first, each with its first and last day (nil: since ever, or still).
    static func names(of unit: Unit, on db: any Database) async throws -> [UnitHistoryAPIController.History.Name] {
        let renames = try await UnitChange.query(on: db).filter(\.$unitCode == unit.code).filter(\.$action == .rename)
            .all().sorted { $0.day < $1.day }
        var names: [UnitHistoryAPIController.History.Name] = []
        var start = unit.countedFrom
        for rename in renames {
            names.append(
                .init(name: rename.nameBefore, from: start, to: CalendarDay(rename.day)?.adding(days: -1).description))
            start = rename.day
        }
        let last = unit.leftOn.flatMap(CalendarDay.init)?.adding(days: -1).description
        return names + [.init(name: unit.name, from: start, to: last)]
    }

    // MARK: Checks

    /// The unit's row, held for the transaction (`Unit.held`); 404 when there is none.
    static func held(_ code: String, on db: any Database) async throws -> Unit {
        guard let unit = try await Unit.held(code, on: db) else {
            throw Abort(.notFound, reason: "组织 \(code.prefix(64)) 不存在")
        }
        return unit
    }

    /// A change from `day` must come after the unit's last one and after it began to count.
    private static func checkChangeable(_ unit: Unit, from day: CalendarDay, on db: any Database) async throws {
        if let left = unit.leftOn {
            throw Abort(.conflict, reason: "\(unit.name) 已于 \(left) 撤销 (retired)")
        }
        if let latest = try await UnitChange.query(on: db).filter(\.$unitCode == unit.code).sort(\.$day, .descending)
            .first(), let last = CalendarDay(latest.day), day <= last
        {
            // Another change took effect on or after that day: the person asking did not know of it.
            throw Abort(
                .conflict, reason: "\(unit.name) 已有 \(last) 起的变动，新的变动须晚于该日 (a change from \(last) is recorded)")
        }
        if let counted = unit.countedFrom.flatMap(CalendarDay.init), day < counted {
            throw ValidationProblem(field: "date", rule: "不能早于该组织设立之日 \(counted) (before the unit was added)")
        }
    }

    /// The branch a group moves to: an existing branch still in being, not its own.
    private static func newBranch(_ code: String, of unit: Unit, on db: any Database) async throws -> Unit {
        guard unit.kind == .group else {
            let rule =
                unit.kind == .member
                ? "党员调整党小组请办理组织关系变动 (a member moves through …/membership)"
                : "只有党小组可以调整所属党支部 (only a group moves to another branch)"
            throw ValidationProblem(field: "parent", rule: rule)
        }
        guard code != unit.parentCode else {
            throw ValidationProblem(field: "parent", rule: "\(code) 就是该党小组现在的党支部 (its own branch)")
        }
        guard let branch = try await Unit.query(on: db).filter(\.$code == code).first(), branch.kind == .branch else {
            throw ValidationProblem(field: "parent", rule: "\(code.prefix(64)) 不是本局的党支部 (not a branch)")
        }
        guard branch.leftOn == nil else {
            throw ValidationProblem(field: "parent", rule: "\(branch.name) 已于 \(branch.leftOn!) 撤销 (a retired branch)")
        }
        return branch
    }

    private static func note(_ raw: String?) throws -> String? {
        let text = raw?.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let text, !text.isEmpty else { return nil }
        guard text.count <= 200 else {
            throw ValidationProblem(field: "reason", rule: "不超过 200 字 (at most 200 characters)")
        }
        return text
    }

    /// The last day any member or group was inside the unit.
    private static func lastDayOfChildren(_ unit: Unit, on db: any Database) async throws -> CalendarDay? {
        let children = try await Unit.query(on: db).filter(\.$parentCode == unit.code).all()
        var days = children.compactMap { $0.leftOn.flatMap(CalendarDay.init) }
        days += try await Membership.query(on: db).filter(\.$groupCode == unit.code).all()
            .compactMap { $0.to.flatMap(CalendarDay.init) }
        return days.max()
    }

    // MARK: Never used

    /// The tables that name a unit by its code: a row in any of them means the unit was used.
    private static let references: [(table: String, column: String)] = [
        (Unit.schema, "parent_code"), (RoleGrant.schema, "unit_code"), (Activity.schema, "unit_code"),
        (Activity.schema, "group_code"), (DuesRecord.schema, "unit_code"), (DuesPaymentRecord.schema, "member_code"),
        (UnitDocument.schema, "unit_code"), (LedgerCompletion.schema, "unit_code"), (VetoRecord.schema, "unit_code"),
        (AnnualEvaluation.schema, "unit_code"), (Membership.schema, "group_code"), (UnitChange.schema, "unit_code"),
    ]

    /// Whether anything was ever recorded for the unit beyond the empty draft sheets a quarter opened for it.
    static func used(_ unit: Unit, on db: any Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        for reference in references {
            let row = try await sql.raw(
                "SELECT 1 AS used FROM \(ident: reference.table) WHERE \(ident: reference.column) = \(bind: unit.code) LIMIT 1"
            ).first()
            if row != nil { return true }
        }
        // A member's own stretches only say where they were: one who moved or left was used.
        let stretches = try await Membership.query(on: db).filter(\.$memberCode == unit.code).all()
        if stretches.contains(where: { $0.endedBy != nil }) || stretches.count > 1 { return true }
        let sheets = try await Sheet.query(on: db).filter(\.$unitCode == unit.code).all()
        return sheets.contains { $0.state != .draft || $0.version > 1 }
    }

    /// A unit added by mistake goes with its untouched draft sheets.
    private static func removeUnused(_ unit: Unit, on db: any Database) async throws {
        try await KeptSheetReading.forget(sheetsOf: unit.code, on: db)
        try await Sheet.query(on: db).filter(\.$unitCode == unit.code).delete()
        try await Membership.query(on: db).filter(\.$memberCode == unit.code).delete()
        try await LedgerEpoch.query(on: db).filter(\.$unitCode == unit.code).delete()
        try await unit.delete(on: db)
    }
}
