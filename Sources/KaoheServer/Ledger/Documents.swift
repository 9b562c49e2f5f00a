import Fluent
import KaoheCore
import Vapor

/// 细则 2.3's plans and summaries as a unit reports them: kind, year, the day reported and a title.
enum Documents {
    struct Input: Content {
        var kind: String?
        var year: Int?
        var submittedOn: String?
        var title: String?
    }

    struct DocumentDTO: Content {
        let id: UUID
        let kind: String
        let year: Int
        let submittedOn: String
        let title: String

        init(_ document: UnitDocument) throws {
            id = try document.requireID()
            kind = document.kind
            year = document.year
            submittedOn = document.submittedOn
            title = document.title
        }
    }

    /// Checks and keeps one document, audited; 422 naming the field, 409 when the year already has one of its kind.
    static func record(_ input: Input, for unit: Unit, actor: String, today: CalendarDay, on db: any Database) async throws -> UnitDocument {
        guard let kind = input.kind.flatMap(DocumentKind.init(rawValue:)) else {
            let names = DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationProblem(field: "kind", rule: "类别应为 \(names) 之一 (unknown kind)")
        }
        guard let year = input.year, (2000...today.year + 1).contains(year) else {
            throw ValidationProblem(field: "year", rule: "年份应为 2000–\(today.year + 1) (a year)")
        }
        guard let day = input.submittedOn.flatMap({ CalendarDay(InputText.halfWidth($0).trimmingCharacters(in: .whitespaces)) }) else {
            throw ValidationProblem(field: "submittedOn", rule: "日期应写作 2026-01-20 (a date YYYY-MM-DD is required)")
        }
        guard day <= today, day.year >= year - 1 else {
            throw ValidationProblem(field: "submittedOn", rule: "上报日期不能晚于今天，也不能早于上一年 (a date up to today)")
        }
        let title = (input.title ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard title.count <= 200 else {
            throw ValidationProblem(field: "title", rule: "标题不超过 200 字 (at most 200 characters)")
        }
        let document = UnitDocument()
        document.unitCode = unit.code
        document.kind = kind.rawValue
        document.year = year
        document.submittedOn = day.description
        document.title = title.isEmpty ? "\(year)年\(kind.label)" : title
        document.createdBy = actor
        return try await db.writeTransaction { db in
            guard try await UnitDocument.query(on: db).filter(\.$unitCode == unit.code).filter(\.$kind == kind.rawValue)
                .filter(\.$year == year).first() == nil else {
                throw Abort(.conflict, reason: "\(year)年\(kind.label)已登记 (already recorded)")
            }
            try await document.create(on: db)
            try await AuditLog.append(on: db, actor: actor, action: .documentRecord, subject: .unit(unit.code),
                                      after: ["kind": kind.rawValue, "year": "\(year)", "submittedOn": document.submittedOn,
                                              "title": document.title])
            return document
        }
    }

    static func list(of unit: String, year: Int, on db: any Database) async throws -> [UnitDocument] {
        try await UnitDocument.query(on: db).filter(\.$unitCode == unit).filter(\.$year == year).sort(\.$submittedOn).all()
    }

    /// The day each kind of the year was reported.
    static func submitted(_ documents: [UnitDocument]) -> [DocumentKind: CalendarDay] {
        var days: [DocumentKind: CalendarDay] = [:]
        for document in documents {
            if let kind = DocumentKind(rawValue: document.kind), let day = CalendarDay(document.submittedOn) { days[kind] = day }
        }
        return days
    }

    /// 年度工作计划 缺（应于 2026-01-31 前上报）.
    static func text(_ finding: DocumentCheck.Finding) -> String {
        switch finding.state {
        case .missing: "\(finding.kind.label)未上报（应于 \(finding.due) 前）"
        case .late: "\(finding.kind.label)晚于 \(finding.due) 上报"
        }
    }
}
