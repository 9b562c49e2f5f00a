import Fluent
import KaoheCore
import Vapor

extension Sheets {
    /// 考核意见: the panel writes one opinion per item while the sheet is under review (办法 四(二)); an empty
    /// text removes it. `version` is the sheet's as the writer read it: only a change to the same item since then
    /// is a conflict (409), so panel members write side by side. Only the panel of the sheet's level may (`Policy`).
    static func setOpinion(
        item: String, text: String, on sheet: Sheet, version: Int, rubric: Rubric,
        by viewer: Policy.Viewer, on db: any Database
    ) async throws {
        try Policy.mayWriteOpinion(sheet, viewer)
        let actor = viewer.user.username
        guard (1...sheet.version).contains(version) else {
            throw Abort(.conflict, reason: "考核表版本不符（当前版本 \(sheet.version)，您的版本 \(version)），请刷新后再操作 (unknown version)")
        }
        guard rubric.items.contains(where: { $0.id == item }) else {
            throw ValidationProblem(field: "item", rule: "细则中没有考核内容 \(item) (unknown item)")
        }
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count <= 2000 else {
            throw ValidationProblem(field: "text", rule: "考核意见不超过 2000 字 (at most 2000 characters)")
        }
        try await db.writeTransaction { db in
            try await lockForAddition(sheet, on: db)
            let existing = try await SheetOpinion.query(on: db).filter(\.$sheet.$id == sheet.requireID())
                .filter(\.$item == item).first()
            if let existing, existing.changedAtVersion > version {
                // The colleague by name, as the page shows people, never by username.
                let author =
                    try await User.displayNames(of: [existing.author], on: db)[existing.author] ?? existing.author
                throw Abort(
                    .conflict,
                    reason: "\(item) 的考核意见已被 \(author) 修改，请刷新后再写 (this item changed since you read it)")
            }
            let before = existing.flatMap { $0.text.isEmpty ? nil : $0.text }
            guard !(text.isEmpty && before == nil) else { return }
            let opinion = existing ?? SheetOpinion()
            opinion.$sheet.id = try sheet.requireID()
            opinion.item = item
            opinion.text = text
            opinion.author = actor
            opinion.changedAtVersion = sheet.version + 1
            try await opinion.save(on: db)
            sheet.version += 1
            try await sheet.save(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .opinionSet, subject: try await sheet.auditSubject(on: db),
                before: before.map { ["item": item, "text": $0] }, after: ["item": item, "text": text])
        }
    }
}
