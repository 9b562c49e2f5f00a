import Fluent
import KaoheCore
import Vapor

extension Sheets {
    /// Sets the sheet's current suggestion under `rule` aside with a reason, by whoever may write entries at the
    /// sheet's stage (403 otherwise), audited. 422 naming `rule` when nothing is suggested under it, `reason` when
    /// none is given.
    static func dismissSuggestion(
        rule: String?, reason: String?, on sheet: Sheet, of period: Period, by viewer: Policy.Viewer,
        on db: any Database
    ) async throws -> SuggestionDismissal {
        _ = try Policy.writableStage(sheet, viewer)
        let reason = (reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 500 else {
            throw ValidationProblem(
                field: "reason", rule: "请写明不采纳的理由，不超过 500 字 (a reason of 1–500 characters is required)")
        }
        let rubric = try await RubricStore.rubric(id: sheet.$rubric.id, on: db)
        let entries = try await SheetEntry.query(on: db).filter(\.$sheet.$id == sheet.requireID()).all()
        let offered = try await SheetDocument.suggestions(
            sheet, entries: entries, rubric: rubric, period: period, on: db)
        guard let suggestion = offered.first(where: { $0.rule == (rule ?? "") }) else {
            throw ValidationProblem(
                field: "rule", rule: "考核表上没有 \(rule ?? "") 的建议扣分 (nothing is suggested under this rule)")
        }
        let dismissal = SuggestionDismissal()
        dismissal.$sheet.id = try sheet.requireID()
        dismissal.rule = suggestion.rule
        dismissal.count = suggestion.count
        dismissal.suggestion = suggestion.reason
        dismissal.reason = reason
        dismissal.dismissedBy = viewer.user.username
        try await db.writeTransaction { db in
            try await dismissal.create(on: db)
            try await AuditLog.append(
                on: db, actor: viewer.user.username, action: .suggestionDismiss,
                subject: try await sheet.auditSubject(on: db),
                after: [
                    "rule": suggestion.rule, "count": "\(suggestion.count)", "suggestion": suggestion.reason,
                    "reason": reason,
                ])
        }
        return dismissal
    }
}
