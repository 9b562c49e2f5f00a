import Fluent
import Foundation
import Vapor
import ZIPFoundation

/// `kaohe backup` / `kaohe restore`: one portable ZIP of every table and every evidence file, readable by either
/// database. Rows travel as the models' own JSON (one line each, `tables/<schema>.jsonl`), evidence as its bytes
/// under its SHA-256 (`evidence/<sha256>`), and `manifest.json` says what the archive must hold, so a restore can
/// prove it got all of it.
enum BackupArchive {
    static let format = "kaohe-backup"
    static let formatVersion = 1

    struct Manifest: Codable, Equatable {
        var format: String
        var version: Int
        var createdAt: Date
        /// `sqlite` or `postgresql`: where it was taken.
        var source: String
        /// Rows per table, in the order they are restored.
        var tables: [Table]
        var evidence: [String]
        /// The audit chain's last event, which the restored chain must end with.
        var auditTail: Tail?

        struct Table: Codable, Equatable {
            var name: String
            var rows: Int
        }

        struct Tail: Codable, Equatable {
            var seq: Int
            var hash: String
        }
    }

    /// Every table, parents before children. Sessions are left out on purpose: a restored system signs everyone in
    /// anew. Evidence bytes travel as files, whichever store they came from.
    static let tables: [any BackedUpModel.Type] = [
        User.self, UserToken.self, RoleGrant.self, SignInFailure.self, Unit.self, AuditEvent.self, AuditTail.self,
        RubricVersion.self, Period.self, Sheet.self, SheetEntry.self, SheetOpinion.self,
        Objection.self, Evidence.self, SuggestionDismissal.self, Activity.self, LedgerCompletion.self, DuesRecord.self,
        DuesPaymentRecord.self,
        UnitDocument.self, VetoRecord.self, AnnualEvaluation.self, AnnualDecision.self, BureauSetting.self,
        Membership.self, UnitChange.self, YearFact.self, FiledResult.self,
    ]

    static func entryName(table: String) -> String { "tables/\(table).jsonl" }
    static func entryName(evidence sha256: String) -> String { "evidence/\(sha256)" }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}

/// A model whose rows a backup carries: read as the model's JSON, written back with every field as it was
/// (timestamps included, which `create` would overwrite).
protocol BackedUpModel: Model {
    static func dumpRows(on db: any Database, into file: FileHandle) async throws -> Int
    static func restoreRows(_ lines: [Data], on db: any Database) async throws
    static func rowCount(on db: any Database) async throws -> Int
}

extension BackedUpModel {
    /// How many rows a backup reads at a time, and a restore inserts: its memory is a page's, not the table's.
    static var pageSize: Int { 2_000 }

    /// Writes every row as a JSON line to `file`, a page at a time in the order of the ids (each page starts after
    /// the last id of the one before, so no page re-reads what went before it); returns how many.
    static func dumpRows(on db: any Database, into file: FileHandle) async throws -> Int {
        var count = 0
        var last: IDValue?
        while true {
            var page = query(on: db).sort(\._$id).limit(pageSize)
            if let last { page = page.filter(\._$id > last) }
            let rows = try await page.all()
            var lines = Data()
            for row in rows {
                lines.append(try BackupArchive.encoder.encode(row))
                lines.append(0x0A)
            }
            try file.write(contentsOf: lines)
            count += rows.count
            guard rows.count == pageSize, let next = rows.last?.id else { return count }
            last = next
        }
    }

    static func rowCount(on db: any Database) async throws -> Int { try await query(on: db).count() }

    static func restoreRows(_ lines: [Data], on db: any Database) async throws {
        let decoder = JSONDecoder()
        let inputs = try lines.map { line in
            let model = try decoder.decode(Self.self, from: line)
            let collected = CollectedInput()
            model.input(to: collected)
            return collected.values
        }
        // One statement inserts rows of one shape: a field a row left out (an optional never set) is NULL.
        let keys = Set(inputs.flatMap(\.keys))
        let uniform = inputs.map { input in
            Dictionary(uniqueKeysWithValues: keys.map { ($0, input[$0] ?? .null) })
        }
        // Batches keep each statement's parameters well under both databases' limits.
        for start in stride(from: 0, to: uniform.count, by: 100) {
            try await query(on: db).set(Array(uniform[start..<min(start + 100, uniform.count)])).create()
        }
    }
}

/// Collects what a model would write, field by field.
final class CollectedInput: DatabaseInput {
    var values: [FieldKey: DatabaseQuery.Value] = [:]
    func set(_ value: DatabaseQuery.Value, at key: FieldKey) { values[key] = value }
}

extension User: BackedUpModel {}
extension Membership: BackedUpModel {}
extension UnitChange: BackedUpModel {}
extension YearFact: BackedUpModel {}
/// Carried, though derived: the level's rows are filed a sheet at a time, and computing 50,000 members' reports
/// again at a restore would take longer than the restore.
extension FiledResult: BackedUpModel {}
extension VetoRecord: BackedUpModel {}
extension AnnualEvaluation: BackedUpModel {}
extension AnnualDecision: BackedUpModel {}
extension UserToken: BackedUpModel {}
extension RoleGrant: BackedUpModel {}
extension SignInFailure: BackedUpModel {}
extension Unit: BackedUpModel {}
extension AuditEvent: BackedUpModel {}
extension AuditTail: BackedUpModel {
    /// The events restored before it moved the tail (M020's trigger); the archive's tail is the one kept, as it was,
    /// so that a chain cut off before the backup still shows it.
    static func restoreRows(_ lines: [Data], on db: any Database) async throws {
        try await query(on: db).delete()
        let decoder = JSONDecoder()
        for line in lines { try await decoder.decode(AuditTail.self, from: line).create(on: db) }
    }
}
extension RubricVersion: BackedUpModel {}
extension Period: BackedUpModel {}
extension Sheet: BackedUpModel {}
extension SheetEntry: BackedUpModel {}
extension SheetOpinion: BackedUpModel {}
extension Objection: BackedUpModel {}
extension Evidence: BackedUpModel {}
extension Activity: BackedUpModel {}
extension LedgerCompletion: BackedUpModel {}
extension DuesRecord: BackedUpModel {}
extension DuesPaymentRecord: BackedUpModel {}
extension UnitDocument: BackedUpModel {}
extension SuggestionDismissal: BackedUpModel {}
extension BureauSetting: BackedUpModel {}

/// A file of JSON lines read a page at a time: a megabyte is read, its whole lines handed on, the rest kept for the
/// next read.
enum JSONLines {
    static func pages(of url: URL, size: Int, _ body: ([Data]) async throws -> Void) async throws {
        let file = try FileHandle(forReadingFrom: url)
        defer { try? file.close() }
        var pending = Data()
        var lines: [Data] = []
        while true {
            let chunk = try file.read(upToCount: 1 << 20) ?? Data()
            pending.append(chunk)
            while let end = pending.firstIndex(of: 0x0A) {
                let line = pending[pending.startIndex..<end]
                if !line.isEmpty { lines.append(Data(line)) }
                pending = Data(pending[(end + 1)...])
                if lines.count == size {
                    try await body(lines)
                    lines = []
                }
            }
            if chunk.isEmpty { break }
        }
        if !pending.isEmpty { lines.append(pending) }
        if !lines.isEmpty { try await body(lines) }
    }
}
