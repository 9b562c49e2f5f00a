import Fluent
import KaoheCore
import Vapor

/// A quarter opened by mistake is withdrawn while nobody has worked in it, and its branches' deadlines move with a
/// reason: the organizer's two ways back from a slip, each audited (guard rails, api.md).
enum PeriodChanges {
    /// Withdraws the period and its sheets, gone from every list; 409 naming what work exists, 422 without a reason.
    static func withdraw(_ period: Period, reason raw: String?, by user: User, on db: any Database) async throws {
        try await Policy.requirePeriodOpener(user, on: db)
        let reason = try self.reason(raw)
        try await db.writeTransaction { db in
            let sheets = try await Sheet.query(on: db).filter(\.$period.$id == period.requireID()).all()
            let ids = try sheets.map { try $0.requireID() }
            var work: [String] = []
            let moved = sheets.filter { $0.state != .draft }.count
            if moved > 0 { work.append("\(moved) 张考核表已报送或转交") }
            if !ids.isEmpty {
                let entries = try await SheetEntry.query(on: db).count(where: \.$sheet.$id, in: ids)
                let opinions = try await SheetOpinion.query(on: db).count(where: \.$sheet.$id, in: ids)
                let files = try await Evidence.query(on: db).count(where: \.$sheet.$id, in: ids)
                if entries > 0 { work.append("\(entries) 条扣分/加分记录") }
                if opinions > 0 { work.append("\(opinions) 条考核意见") }
                if files > 0 { work.append("\(files) 个考核依据文件") }
            }
            guard work.isEmpty else {
                throw Abort(
                    .conflict,
                    reason: "\(period.code) 已有工作，不能撤销：\(work.joined(separator: "、")) (work exists in the quarter)")
            }
            if !ids.isEmpty {
                try await SuggestionDismissal.query(on: db).delete(where: \.$sheet.$id, in: ids)
                try await KeptSheetReading.forget(sheets: ids, on: db)
                try await Sheet.query(on: db).delete(where: \.$id, in: ids)
            }
            try await period.delete(on: db)
            try await AuditLog.append(
                on: db, actor: user.username, action: .periodWithdraw, subject: .period(period.code),
                after: ["reason": reason, "sheets": "\(sheets.count)"])
        }
    }

    /// Moves the branches' deadlines (one or both), with a reason; 422 naming the field for a day that cannot be
    /// read, a panel deadline before the self-report one, or no reason.
    static func changeDeadlines(
        of period: Period, selfDeadline: String?, panelDeadline: String?, reason raw: String?, by user: User,
        on db: any Database
    ) async throws {
        try await Policy.requirePeriodOpener(user, on: db)
        let chosen = try SheetDeadlines.Chosen(selfDeadline: selfDeadline, panelDeadline: panelDeadline)
        let reason = try self.reason(raw)
        let before = ["selfDeadline": period.selfDeadline, "panelDeadline": period.panelDeadline]
        let selfReport = chosen.selfReport?.description ?? period.selfDeadline
        let panelReview = chosen.panelReview?.description ?? period.panelDeadline
        guard let first = CalendarDay(selfReport), let last = CalendarDay(panelReview), first <= last else {
            throw ValidationProblem(
                field: "panelDeadline", rule: "考核截止不能早于自查报送截止 \(selfReport) (not before the self-report deadline)")
        }
        period.selfDeadline = selfReport
        period.panelDeadline = panelReview
        try await db.writeTransaction { db in
            try await period.save(on: db)
            try await AuditLog.append(
                on: db, actor: user.username, action: .periodDeadlines, subject: .period(period.code), before: before,
                after: ["selfDeadline": selfReport, "panelDeadline": panelReview, "reason": reason])
        }
    }

    private static func reason(_ raw: String?) throws -> String {
        let reason = (raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= 200 else {
            throw ValidationProblem(field: "reason", rule: "请写明理由，不超过 200 字 (a reason of 1–200 characters is required)")
        }
        return reason
    }
}
