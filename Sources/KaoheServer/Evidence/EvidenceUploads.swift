import Fluent
import Vapor

/// Accepting a file as evidence (考核依据): its type on the allow-list, its size under the limit, its bytes
/// stored once by SHA-256, its source named in the words of 办法 五.
enum EvidenceUploads {
    /// How much of a request a route that takes evidence files collects (the API's and the pages' uploads, and
    /// an entry posted with its file): the policy's file limit and room for the form's other fields, so a file a
    /// little over the limit is told why (422), not cut off (413).
    static func requestBodyLimit(for policy: Settings.EvidencePolicy) -> ByteCount {
        ByteCount(value: policy.maxBytes + 1024 * 1024)
    }

    /// What a file's extension says it is; the content type the client sent is not trusted.
    static let contentTypes: [String: String] = [
        "pdf": "application/pdf", "ofd": "application/ofd", "jpg": "image/jpeg", "jpeg": "image/jpeg",
        "png": "image/png",
        "doc": "application/msword", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "wps": "application/vnd.ms-works", "xls": "application/vnd.ms-excel",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "et": "application/vnd.ms-excel",
        "txt": "text/plain; charset=utf-8",
    ]

    /// The first bytes a file of these types must start with, so a renamed program is refused. The old Office
    /// and WPS formats (doc, xls, wps, et) are OLE compound files; docx, xlsx and ofd are ZIP containers.
    static let signatures: [String: [[UInt8]]] = {
        let ole: [[UInt8]] = [[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]]
        let zip: [[UInt8]] = [[0x50, 0x4B, 0x03, 0x04]]
        return [
            "pdf": [Array("%PDF".utf8)], "png": [[0x89, 0x50, 0x4E, 0x47]], "jpg": [[0xFF, 0xD8, 0xFF]],
            "jpeg": [[0xFF, 0xD8, 0xFF]],
            "docx": zip, "xlsx": zip, "ofd": zip, "doc": ole, "xls": ole, "wps": ole, "et": ole,
        ]
    }()

    /// A text file is text: no control bytes but tab, line ends, form feed and escape (UTF-8 and GBK alike never
    /// use them), unless it says it is UTF-16 by its byte-order mark.
    static func looksLikeText(_ data: Data) -> Bool {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) { return true }
        return !data.prefix(1 << 16).contains { byte in
            byte < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D, 0x1B].contains(byte)
        }
    }

    /// A name cut to `limit` characters keeps its extension, so the download still opens in the right program.
    static func shortened(_ filename: String, limit: Int = 200) -> String {
        guard filename.count > limit else { return filename }
        let ext = (filename as NSString).pathExtension
        guard !ext.isEmpty, ext.count < 16 else { return String(filename.prefix(limit)) }
        let base = (filename as NSString).deletingPathExtension
        return String(base.prefix(limit - ext.count - 1)) + "." + ext
    }

    /// A file as the evidence policy takes it — on the allow-list, under the limit, its content what its extension
    /// says — with its name cut to fit and its content type by that extension. 422 naming `file` otherwise.
    static func checked(_ file: SpooledForm.File?, policy: Settings.EvidencePolicy) throws
        -> (file: SpooledForm.File, filename: String, contentType: String)
    {
        let filename = ((file?.filename ?? "") as NSString).lastPathComponent.trimmingCharacters(
            in: .whitespacesAndNewlines)
        // The file's name is text like any other: a NUL in it cut the name on SQLite and broke the write on PostgreSQL.
        guard !InputGuard.hasControlCharacter(filename) else {
            throw ValidationProblem(field: "file", rule: "文件名含有控制字符，请改名后再上传 (control characters in the file name)")
        }
        let ext = (filename as NSString).pathExtension.lowercased()
        guard let file, !filename.isEmpty, file.size > 0 else {
            throw ValidationProblem(field: "file", rule: "请选择要上传的文件 (a non-empty file is required)")
        }
        guard policy.extensions.contains(ext) else {
            throw ValidationProblem(field: "file", rule: "不接受 .\(ext) 文件，可上传：\(policy.listedTypes) (type not allowed)")
        }
        guard file.size <= policy.maxBytes else {
            throw ValidationProblem(field: "file", rule: "文件超过 \(policy.maxMegabytes) MB 的上限 (file too large)")
        }
        let head = try file.prefix(1 << 16)
        if let expected = signatures[ext], !expected.contains(where: { head.starts(with: $0) }) {
            throw ValidationProblem(field: "file", rule: "文件内容与扩展名 .\(ext) 不符 (content does not match its type)")
        }
        if ext == "txt", !looksLikeText(head) {
            throw ValidationProblem(field: "file", rule: "文件内容不是文本，与扩展名 .txt 不符 (content is not text)")
        }
        return (file, shortened(filename), contentTypes[ext] ?? "application/octet-stream")
    }

    /// Checks and stores one upload for a sheet, the file as it was spooled to disk (`SpooledForm`); the row is
    /// created inside the caller's transaction.
    static func accept(
        _ file: SpooledForm.File?, source rawSource: String?, sheet: Sheet,
        policy: Settings.EvidencePolicy, store: EvidenceStore, actor: String, on db: any Database
    ) async throws -> Evidence {
        let (file, filename, contentType) = try checked(file, policy: policy)
        guard let source = Evidence.Source(rawValue: rawSource ?? "records") else {
            let names = Evidence.Source.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationProblem(field: "source", rule: "考核依据来源应为 \(names) 之一 (unknown source)")
        }
        let sha256 = file.sha256
        try await store.put(file, on: db)
        let evidence = Evidence()
        evidence.$sheet.id = try sheet.requireID()
        evidence.sha256 = sha256
        evidence.filename = filename
        evidence.contentType = contentType
        evidence.size = file.size
        evidence.source = source
        evidence.uploadedBy = actor
        try await evidence.create(on: db)
        try await AuditLog.append(
            on: db, actor: actor, action: .evidenceUpload, subject: try await sheet.auditSubject(on: db),
            after: ["file": evidence.filename, "sha256": sha256, "source": source.rawValue, "size": "\(file.size)"])
        return evidence
    }

    /// Attaches uploaded evidence of the same sheet to an entry or an objection; an id of another sheet is refused.
    static func attach(
        _ ids: [UUID], to sheet: Sheet, entry: SheetEntry? = nil, objection: Objection? = nil,
        on db: any Database
    ) async throws {
        guard !ids.isEmpty else { return }
        let found = try await Evidence.query(on: db).filter(\.$id ~~ ids).filter(\.$sheet.$id == sheet.requireID())
            .all()
        guard found.count == Set(ids).count else {
            throw ValidationProblem(field: "evidence", rule: "考核依据须先上传到本考核表 (unknown evidence id)")
        }
        for evidence in found {
            if let entry { evidence.$entry.id = try entry.requireID() }
            if let objection { evidence.$objection.id = try objection.requireID() }
            try await evidence.save(on: db)
        }
    }
}
