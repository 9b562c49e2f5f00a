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
        /// The document itself, when attached: its file name and size (`GET …/documents/{id}/file`).
        let file: String?
        let fileSize: Int?

        init(_ document: UnitDocument) throws {
            id = try document.requireID()
            kind = document.kind.rawValue
            year = document.year
            submittedOn = document.submittedOn
            title = document.title
            file = document.fileName
            fileSize = document.fileSize
        }
    }

    /// Checks and keeps one document, audited; 422 naming the field, 409 when the year already has one of its kind.
    static func record(_ input: Input, by permit: Permit<Rights.RecordLedger>, today: CalendarDay, on db: any Database)
        async throws -> UnitDocument
    {
        let document = try checked(input, for: permit.unit, actor: permit.actor, today: today)
        return try await db.writeTransaction { db in
            try await keep(document, by: permit, on: db)
            try await KeptLedgerYear.recount([permit.unit.code], years: [document.year], on: db)
            return document
        }
    }

    /// A document as the input describes it, each field checked; nothing is stored.
    static func checked(_ input: Input, for unit: Unit, actor: String, today: CalendarDay) throws -> UnitDocument {
        guard let kind = kind(named: input.kind ?? "") else {
            let names = DocumentKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationProblem(field: "kind", rule: "类别应为 \(names) 之一 (unknown kind)")
        }
        guard let year = input.year, (2000...today.year + 1).contains(year) else {
            throw ValidationProblem(field: "year", rule: "年份应为 2000–\(today.year + 1) (a year)")
        }
        guard
            let day = input.submittedOn.flatMap({
                CalendarDay(InputText.halfWidth($0).trimmingCharacters(in: .whitespaces))
            })
        else {
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
        document.kind = kind
        document.year = year
        document.submittedOn = day.description
        document.title = title.isEmpty ? "\(year)年\(kind.label)" : title
        document.createdBy = actor
        return document
    }

    /// The kind by its code or its Chinese name as a spreadsheet writes it (工作计划, 年度工作计划, 凝聚力工程计划).
    static func kind(named raw: String) -> DocumentKind? {
        func plain(_ text: String) -> String {
            text.replacingOccurrences(of: "年度", with: "").filter { !"“”\"' ".contains($0) }
        }
        let name = raw.trimmingCharacters(in: .whitespaces)
        return DocumentKind(rawValue: name) ?? DocumentKind.allCases.first { plain($0.label) == plain(name) }
    }

    /// Keeps a checked document inside the caller's transaction, audited; 409 when its year has one of its kind.
    static func keep(_ document: UnitDocument, by permit: Permit<Rights.RecordLedger>, on db: any Database) async throws
    {
        precondition(document.unitCode == permit.unit.code, "a permit is for its own unit's records")
        let label = document.kind.label
        let recorded = Abort(.conflict, reason: "\(document.year)年\(label)已登记 (already recorded)")
        guard
            try await UnitDocument.query(on: db).filter(\.$unitCode == document.unitCode).filter(
                \.$kind == document.kind
            )
            .filter(\.$year == document.year).first() == nil
        else { throw recorded }
        do {
            try await document.create(on: db)
        } catch  where WriteTransaction.isUniqueViolation(error) {
            // Two secretaries recording it at once on PostgreSQL: the second is told, as it would be a moment later.
            throw recorded
        }
        try await AuditLog.append(
            on: db, actor: permit.actor, action: .documentRecord, subject: .unit(document.unitCode),
            after: [
                "kind": document.kind.rawValue, "year": "\(document.year)", "submittedOn": document.submittedOn,
                "title": document.title,
            ])
    }

    /// Attaches the document itself to its record, replacing a file attached before (both kept in the log); the
    /// file is checked as evidence is and its bytes kept once in the evidence store. 404 for another unit's record.
    static func attach(
        _ upload: SpooledForm.File?, to id: UUID?, by permit: Permit<Rights.RecordLedger>, settings: Settings,
        on db: any Database
    ) async throws -> UnitDocument {
        let (unit, actor) = (permit.unit, permit.actor)
        let (file, filename, contentType) = try EvidenceUploads.checked(upload, policy: settings.evidence)
        return try await db.writeTransaction { db in
            let document = try await find(id, of: unit, on: db)
            let before = document.fileName.map { ["file": $0, "sha256": document.fileSHA256 ?? ""] }
            try await EvidenceStore(settings).put(file, on: db)
            document.fileName = filename
            document.fileSHA256 = file.sha256
            document.fileType = contentType
            document.fileSize = file.size
            try await document.save(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .documentAttach, subject: .unit(unit.code), before: before,
                after: [
                    "kind": document.kind.rawValue, "year": "\(document.year)", "file": filename,
                    "sha256": file.sha256, "size": "\(file.size)",
                ])
            return document
        }
    }

    /// The attached file, sent as an attachment so a browser never runs it; 404 when there is none.
    static func download(_ id: UUID?, of unit: Unit, settings: Settings, on db: any Database) async throws -> Response {
        let document = try await find(id, of: unit, on: db)
        guard let sha256 = document.fileSHA256, let data = try await EvidenceStore(settings).get(sha256, on: db) else {
            throw Abort(.notFound, reason: "这份计划或总结没有附上原件 (no file attached)")
        }
        return Download.file(
            data, filename: document.fileName ?? "file", contentType: document.fileType ?? "application/octet-stream")
    }

    private static func find(_ id: UUID?, of unit: Unit, on db: any Database) async throws -> UnitDocument {
        guard let id,
            let document = try await UnitDocument.query(on: db).filter(\.$id == id).filter(\.$unitCode == unit.code)
                .first()
        else {
            throw Abort(.notFound, reason: "没有这份计划或总结 (no such document)")
        }
        return document
    }

    static func list(of unit: String, year: Int, on db: any Database) async throws -> [UnitDocument] {
        try await UnitDocument.query(on: db).filter(\.$unitCode == unit).filter(\.$year == year).sort(\.$submittedOn)
            .all()
    }

    /// The day each kind of the year was reported.
    static func submitted(_ documents: [UnitDocument]) -> [DocumentKind: CalendarDay] {
        var days: [DocumentKind: CalendarDay] = [:]
        for document in documents {
            if let day = CalendarDay(document.submittedOn) { days[document.kind] = day }
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
