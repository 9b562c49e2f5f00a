import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 发文机关标志 and 发文字号: the issuing organisation's full name and the pattern of its document numbers, on every
/// paper Kaohe writes. The admin sets them (`PUT /api/v1/settings/letterhead`, 组织与用户 page); unset, the issuer is
/// the general branch's name as the org tree has it and no number is printed.
struct Letterhead: Content, Equatable {
    /// 中共××局机关总支部委员会.
    var issuer: String
    /// 局机关党总支〔{年}〕{号}号: `{年}` is the paper's year, `{季}` its quarter; `{号}` is left blank for the
    /// registry (文书) to fill as it files the paper. Empty: no 发文字号 line.
    var docNumber: String

    static let issuerKey = "letterhead.issuer"
    static let docNumberKey = "letterhead.docNumber"
    static let maxLength = 60

    static func current(on db: any Database) async throws -> Letterhead {
        let rows = try await BureauSetting.query(on: db).filter(\.$id ~~ [issuerKey, docNumberKey]).all()
        let values = Dictionary(
            rows.compactMap { row in row.id.map { ($0, row.value) } }, uniquingKeysWith: { a, _ in a })
        let issuer: String
        if let set = values[issuerKey], !set.isEmpty {
            issuer = set
        } else {
            issuer = try await Unit.query(on: db).filter(\.$code == OrgTree.rootCode).first()?.name ?? "机关党总支"
        }
        return Letterhead(issuer: issuer, docNumber: values[docNumberKey] ?? "")
    }

    /// The 发文字号 of a paper of `year` (and `quarter`), nil when no pattern is set.
    func number(year: Int, quarter: Int? = nil) -> String? {
        guard !docNumber.isEmpty else { return nil }
        return docNumber.replacingOccurrences(of: "{年}", with: String(year))
            .replacingOccurrences(of: "{季}", with: quarter.map(String.init) ?? "")
            .replacingOccurrences(of: "{号}", with: "　　")
    }

    /// Checks what the admin typed: 422 naming the field for an empty issuer, text too long, or a line break.
    static func checked(issuer: String, docNumber: String) throws -> Letterhead {
        let issuer = issuer.trimmingCharacters(in: .whitespaces)
        let docNumber = docNumber.trimmingCharacters(in: .whitespaces)
        guard !issuer.isEmpty else {
            throw ValidationProblem(
                field: "issuer", rule: "请填写发文机关全称 (the issuing organisation's full name is required)")
        }
        for (field, value) in [("issuer", issuer), ("docNumber", docNumber)] {
            guard value.count <= maxLength else {
                throw ValidationProblem(field: field, rule: "不能超过 \(maxLength) 个字 (at most \(maxLength) characters)")
            }
            guard !value.contains(where: { $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) }) else {
                throw ValidationProblem(field: field, rule: "应为一行文字 (one line of text)")
            }
        }
        return Letterhead(issuer: issuer, docNumber: docNumber)
    }

    /// Saves both values, audited with what they were; the same values again change and log nothing.
    @discardableResult
    static func set(_ letterhead: Letterhead, by user: User, on db: any Database) async throws -> Letterhead {
        try Policy.requireBureauRole(
            try await Access.roles(of: user, on: db), Policy.orgManagers,
            "只有系统管理员可以设置发文机关 (only the admin sets the letterhead)")
        try await db.writeTransaction { db in
            let before = try await current(on: db)
            guard before != letterhead else { return }
            for (key, value) in [(issuerKey, letterhead.issuer), (docNumberKey, letterhead.docNumber)] {
                try await db.sql.insert(into: BureauSetting.schema)
                    .columns("key", "value", "updated_at", "updated_by")
                    .values(SQLBind(key), SQLBind(value), SQLBind(Date()), SQLBind(user.username))
                    .onConflict(with: ["key"]) {
                        $0.set(excludedValueOf: "value").set(excludedValueOf: "updated_at")
                            .set(excludedValueOf: "updated_by")
                    }
                    .run()
            }
            try await AuditLog.append(
                on: db, actor: user.username, action: .letterhead, subject: .setting("letterhead"),
                before: ["issuer": before.issuer, "docNumber": before.docNumber],
                after: ["issuer": letterhead.issuer, "docNumber": letterhead.docNumber])
        }
        return try await current(on: db)
    }
}
