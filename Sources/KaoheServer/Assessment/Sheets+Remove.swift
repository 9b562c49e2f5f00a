import Fluent
import Vapor

extension Sheets {
    /// Takes an entry off a sheet. In a draft (自查) it is simply deleted; at the panel's stage nothing is deleted:
    /// the entry is withdrawn, keeping who withdrew it and why. Either way the sheet's version is raised and the
    /// change audited. An unknown or already withdrawn entry is 404.
    static func remove(_ entryID: UUID?, from sheet: Assessment, stage: AssessmentEntry.Stage, reason: String?,
                       actor: String, on db: any Database) async throws {
        guard let entryID,
              let row = try await sheet.$entries.query(on: db).filter(\.$id == entryID).first(), !row.withdrawn
        else { throw Abort(.notFound, reason: "没有这条记录") }
        let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        try await db.transaction { db in
            try await lock(sheet, on: db)
            let before = EntryRecord(row)
            if stage == .selfAssessment {
                try await row.delete(on: db)
                try await AuditLog.append(on: db, actor: actor, action: "entry.delete", subject: "sheet:\(sheet.unitCode)", before: before)
            } else {
                row.withdrawn = true
                row.withdrawnBy = actor
                row.withdrawnReason = reason?.isEmpty == false ? reason : nil
                try await row.save(on: db)
                try await AuditLog.append(on: db, actor: actor, action: "entry.withdraw", subject: "sheet:\(sheet.unitCode)",
                                          before: before, after: EntryRecord(row))
            }
            sheet.version += 1
            try await sheet.save(on: db)
        }
    }
}
