import Fluent
import KaoheCore
import Vapor

extension Sheets {
    /// Takes an entry off a sheet. An entry never yet submitted is simply deleted (a draft's own work); anything
    /// else is withdrawn, keeping who withdrew it and why: nothing is deleted once submitted (DESIGN), so an entry
    /// a returned sheet had carried stays on record. The unit may not take off the panel's entries. Either way the
    /// sheet's version is raised and the change audited. An unknown or already withdrawn entry is 404.
    enum Removal { case deleted, withdrawn }

    /// Who writes at `stage` may take off an entry made at `entryStage`: the panel any, the unit only its own.
    static func mayRemove(_ entryStage: SheetEntry.Stage, at stage: SheetEntry.Stage) -> Bool {
        !(stage == .selfAssessment && entryStage == .panel)
    }

    /// What taking off an entry made at `createdAt` does at `stage`: deleted while it was never submitted (made on a
    /// draft not yet reported, or since the last return), withdrawn otherwise.
    static func removal(ofEntryMadeAt createdAt: Date?, on sheet: Sheet, at stage: SheetEntry.Stage) -> Removal {
        guard stage == .selfAssessment else { return .withdrawn }
        guard let submitted = sheet.submittedAt else { return .deleted }
        return createdAt.map { $0 > submitted } == true ? .deleted : .withdrawn
    }

    /// Takes an entry off for `viewer`, at the stage `Policy.writableStage` gives them (403 when none).
    @discardableResult
    static func remove(
        _ entryID: UUID?, from sheet: Sheet, by viewer: Policy.Viewer, reason: String?,
        on db: any Database
    ) async throws -> Removal {
        try await remove(
            entryID, from: sheet, stage: Policy.writableStage(sheet, viewer), reason: reason,
            actor: viewer.user.username, on: db)
    }

    /// The sheet is held as an addition holds it (`raiseForAddition`): another writer's entries since it was read are
    /// no conflict, so a secretary taking one off beside a colleague adding another both succeed on deadline day; a
    /// move to another state is. The entry is read under that hold, so two removals of it at once audit one.
    @discardableResult
    private static func remove(
        _ entryID: UUID?, from sheet: Sheet, stage: SheetEntry.Stage, reason: String?,
        actor: String, on db: any Database
    ) async throws -> Removal {
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        return try await db.writeTransaction { db in
            try await raiseForAddition(sheet, on: db)
            guard let entryID,
                let row = try await sheet.entries(on: db).filter(\.$id == entryID).first(), !row.withdrawn
            else { throw Abort(.notFound, reason: "没有这条记录") }
            guard mayRemove(row.stage, at: stage) else {
                throw Abort(.forbidden, reason: "考核小组的记录只能由考核小组撤销 (only the panel withdraws its entries)")
            }
            let removal = removal(ofEntryMadeAt: row.createdAt, on: sheet, at: stage)
            guard removal == .deleted || reason?.isEmpty == false else {
                throw ValidationProblem(field: "reason", rule: "撤销已报送的记录须写明理由（理由与撤销人一并保留）")
            }
            let before = EntryRecord(row)
            if removal == .deleted {
                try await row.delete(on: db)
                try await AuditLog.append(
                    on: db, actor: actor, action: .entryDelete, subject: try await sheet.auditSubject(on: db),
                    before: before)
            } else {
                row.withdrawn = true
                row.withdrawnBy = actor
                row.withdrawnReason = reason
                try await row.save(on: db)
                try await AuditLog.append(
                    on: db, actor: actor, action: .entryWithdraw, subject: try await sheet.auditSubject(on: db),
                    before: before, after: EntryRecord(row))
            }
            return removal
        }
    }
}

extension Sheets {
    /// 办法 三(二): a unit may ask for 从轻扣分 or 不予扣分 on a problem it found and corrected itself; the panel
    /// confirms or refuses it while reviewing, always with a reason. A refused mitigation scores as none; the
    /// decision may be changed while the review lasts.
    static func decideMitigation(
        of entryID: UUID?, on sheet: Sheet, decision: String?, reason: String?,
        by viewer: Policy.Viewer, on db: any Database
    ) async throws -> SheetEntry {
        try Policy.mayDecideMitigation(sheet, viewer)
        guard let decided = decision.flatMap(SheetEntry.MitigationDecision.init(rawValue:)) else {
            throw ValidationProblem(field: "decision", rule: "应为 confirmed（认可）或 refused（不予认可）")
        }
        guard let entryID,
            let row = try await sheet.entries(on: db).filter(\.$id == entryID).first(), !row.withdrawn
        else { throw Abort(.notFound, reason: "没有这条记录") }
        guard row.mitigation != .none else {
            throw Abort(.conflict, reason: "该记录未申请从轻或不予扣分 (no mitigation was asked for)")
        }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard !reason.isEmpty else {
            throw ValidationProblem(field: "reason", rule: "请写明认可或不认可的理由")
        }
        let before = row.mitigationDecision?.rawValue ?? ""
        try await db.writeTransaction { db in
            try await raiseForAddition(sheet, on: db)
            row.mitigationDecision = decided
            row.mitigationDecisionReason = reason
            row.mitigationDecidedBy = viewer.user.username
            try await row.save(on: db)
            try await AuditLog.append(
                on: db, actor: viewer.user.username, action: .entryMitigation,
                subject: try await sheet.auditSubject(on: db),
                before: ["rule": row.rule, "decision": before],
                after: [
                    "rule": row.rule, "mitigation": row.mitigation.rawValue,
                    "decision": row.mitigationDecision?.rawValue ?? "", "reason": reason,
                ])
        }
        return row
    }
}
