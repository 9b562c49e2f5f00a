import Fluent
import KaoheCore
import Vapor

/// 申诉: after its result is out a unit may file one objection inside the rubric's window; whoever publishes
/// decides it — dismissed with a reason, or upheld, which opens the review of the sheet again.
enum Objections {
    static func file(
        on sheet: Sheet, reason: String, evidence: [UUID], rubric: Rubric, by viewer: Policy.Viewer,
        today: CalendarDay, on db: any Database
    ) async throws -> Objection {
        try Policy.requireMayObject(sheet, viewer)
        let actor = viewer.user.username
        guard sheet.state == .published, let published = sheet.publishedOn.flatMap(CalendarDay.init) else {
            throw Abort(.conflict, reason: "结果公布后才能申诉 (an objection follows publication)")
        }
        let deadline = rubric.schedule.objectionDeadline(publishedOn: published)
        guard today <= deadline else {
            throw Abort(.conflict, reason: "申诉期已于 \(deadline) 结束 (the objection window closed on \(deadline))")
        }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ValidationProblem(field: "reason", rule: "请写明申诉理由 (reason required)") }
        guard reason.count <= 4000 else { throw ValidationProblem(field: "reason", rule: "申诉理由不超过 4000 字") }
        return try await db.writeTransaction { db in
            guard try await Objection.query(on: db).filter(\.$sheet.$id == sheet.requireID()).count() == 0 else {
                throw Abort(.conflict, reason: "每个考核期只能申诉一次 (one objection per sheet)")
            }
            let objection = Objection()
            objection.$sheet.id = try sheet.requireID()
            objection.reason = reason
            objection.filedBy = actor
            objection.state = .open
            try await objection.create(on: db)
            try await EvidenceUploads.attach(evidence, to: sheet, objection: objection, on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .objectionFile, subject: try await sheet.auditSubject(on: db),
                after: ["reason": reason])
            return objection
        }
    }

    /// Dismisses (驳回) or upholds (受理) the open objection; upholding reopens the review of the sheet.
    /// Decided by whoever publishes the sheet's level (checked here).
    static func decide(
        _ objection: Objection, uphold: Bool, reason: String, sheet: Sheet, by viewer: Policy.Viewer,
        on db: any Database
    ) async throws {
        try Policy.requireMayTake(.reopen, on: sheet, viewer)
        let actor = viewer.user.username
        guard objection.state == .open else {
            throw Abort(.conflict, reason: "该申诉已处理 (the objection was already decided)")
        }
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ValidationProblem(field: "reason", rule: "请写明处理意见 (reason required)") }
        let published = try await Sheets.publishedReport(of: sheet, on: db)
        // Taken before the transaction, whose body a transient conflict runs again with the sheet already moved.
        let (read, from) = (sheet.version, sheet.state)
        try await db.writeTransaction { db in
            objection.state = uphold ? .upheld : .dismissed
            objection.beforeTotal = published.map { "\($0.total)" }
            objection.beforeGrade = published?.gradeLabel
            if !uphold {  // 驳回: the result stands
                objection.afterTotal = objection.beforeTotal
                objection.afterGrade = objection.beforeGrade
            }
            objection.decidedBy = actor
            objection.decisionReason = reason
            objection.decidedAt = Date()
            try await objection.save(on: db)
            if uphold {
                sheet.state = try Workflow.apply(.reopen, to: from, reason: reason)
                sheet.version = read + 1
                try await Sheets.saveMove(sheet, from: read, on: db)
                if let period = try await Period.find(sheet.$period.id, on: db) {
                    try await Results.file(sheet, in: period, on: db)
                }
            }
            try await AuditLog.append(
                on: db, actor: actor, action: uphold ? .objectionUphold : .objectionDismiss,
                subject: try await sheet.auditSubject(on: db), before: ["state": "open"],
                after: ["state": objection.state.rawValue, "reason": reason])
        }
    }
}
