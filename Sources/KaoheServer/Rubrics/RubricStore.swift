import Crypto
import Fluent
import Foundation
import KaoheCore
import NIOConcurrencyHelpers
import Vapor

/// Saving rubric versions: every text is checked by KaoheCore's strict loader before it is kept, and
/// every save is a new, audited version.
enum RubricStore {
    struct Rejected: Error {
        let problems: [String]
    }

    /// A version edited from one that is no longer the newest: saving it would undo the newer one's changes.
    struct Stale: Error {
        let latest: RubricVersion
    }

    /// Checks `yaml` and saves it as the next version of the rubric it declares. `expecting` is the version an edit
    /// started from: if another has been saved since, the edit is refused (`Stale`) instead of silently undoing it.
    @discardableResult
    static func save(
        yaml: String, fileName: String, note: String, actor: String, expecting: Int? = nil, on db: any Database
    ) async throws -> RubricVersion {
        let rubric: Rubric
        do {
            rubric = try RubricLoader.load(yaml: yaml, file: fileName)
        } catch {
            throw Rejected(problems: error.messages)
        }
        return try await db.writeTransaction { db in
            let last = try await RubricVersion.query(on: db).filter(\.$key == rubric.id).sort(\.$number, .descending)
                .first()
            if let expecting, let last, last.number != expecting { throw Stale(latest: last) }
            let version = RubricVersion(
                key: rubric.id, number: (last?.number ?? 0) + 1, label: rubric.version, title: rubric.title,
                level: rubric.level, yaml: yaml, sha256: SHA256.hash(data: Data(yaml.utf8)).hex,
                createdBy: actor, note: note)
            try await version.create(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: last == nil ? .rubricInstall : .rubricVersion,
                subject: .rubric(rubric.id),
                before: last.map(Summary.init), after: Summary(version))
            return version
        }
    }

    /// The newest version of a level's rubric (`branch`, `group`, `member`), or of one rubric by its key.
    static func latest(level: UnitLevel, key: String? = nil, on db: any Database) async throws -> RubricVersion? {
        var query = RubricVersion.query(on: db).filter(\.$level == level)
        if let key { query = query.filter(\.$key == key) }
        return try await query.sort(\.$createdAt, .descending).sort(\.$number, .descending).first()
    }

    /// The rubric a saved version holds, parsed once per process: a version never changes once saved, so its
    /// text (keyed by its digest) always reads the same.
    static func rubric(of version: RubricVersion) throws -> Rubric {
        if let parsed = parsed.withLockedValue({ $0[version.sha256] }) { return parsed }
        let rubric = try RubricLoader.load(yaml: version.yaml, file: "\(version.key)#\(version.number)")
        parsed.withLockedValue { $0[version.sha256] = rubric }
        return rubric
    }

    private static let parsed = NIOLockedValueBox<[String: Rubric]>([:])

    /// The rubric of a version by its id, read from the database only the first time in this process.
    static func rubric(id: UUID, on db: any Database) async throws -> Rubric {
        try await known(id, on: db).rubric
    }

    /// `bureau-branch/2`: the version's key and number, as the API names it.
    static func label(id: UUID, on db: any Database) async throws -> String {
        try await known(id, on: db).label
    }

    /// A version's title and number as the pages head it (考核细则（第 2 版）), without reading its YAML again.
    static func heading(id: UUID, on db: any Database) async throws -> (title: String, number: Int) {
        let known = try await known(id, on: db)
        return (known.title, known.number)
    }

    private struct Known: Sendable {
        let rubric: Rubric
        let label: String
        let title: String
        let number: Int
    }

    private static func known(_ id: UUID, on db: any Database) async throws -> Known {
        if let known = byID.withLockedValue({ $0[id] }) { return known }
        guard let version = try await RubricVersion.find(id, on: db) else {
            throw Abort(.internalServerError, reason: "细则版本 \(id) 不存在 (rubric version missing)")
        }
        let known = Known(
            rubric: try rubric(of: version), label: "\(version.key)/\(version.number)", title: version.title,
            number: version.number)
        byID.withLockedValue { $0[id] = known }
        return known
    }

    private static let byID = NIOLockedValueBox<[UUID: Known]>([:])

    /// Installs the rubrics shipped in `rubrics/` when the database has none (the first start).
    static func installShipped(from directory: String?, logger: Logger, on db: any Database) async throws {
        guard try await RubricVersion.query(on: db).count() == 0 else { return }
        guard let directory, let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            logger.warning("未找到细则目录，未安装细则；可由管理员在“考核细则”页上传 (no rubrics directory; set KAOHE_RUBRICS_DIR)")
            return
        }
        for file in files.sorted() where file.hasSuffix(".yaml") {
            let path = (directory as NSString).appendingPathComponent(file)
            let yaml = try String(contentsOfFile: path, encoding: .utf8)
            try await save(yaml: yaml, fileName: file, note: "随系统安装", actor: "system", on: db)
        }
    }

    /// What the audit log keeps of a version: enough to find it and prove which text it was.
    struct Summary: Codable {
        let number: Int
        let label: String
        let sha256: String

        init(_ version: RubricVersion) {
            number = version.number
            label = version.label
            sha256 = version.sha256
        }
    }
}
