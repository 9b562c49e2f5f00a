import Fluent
import Foundation
import KaoheCore
import NIOConcurrencyHelpers
import SQLKit

/// What the records say on a branch's or group's draft sheet as of one day — the ledger's and the yearly facts'
/// findings before the sheet's entries are set against them, and the pace of the windows still running — kept by
/// the first read of the day (issue 29). Counting it reads a dozen rows and is three quarters of a draft sheet's
/// cost; on deadline day the same sheet is read again and again while nothing it counts changes.
///
/// A kept reading is served only while it is provably current: the same day, the same rubric, and the epochs of its
/// unit and of the bureau (`LedgerEpoch`) that it was counted at, read before it was counted. Every write that
/// changes what it counts moves one of them inside its transaction, so a reading counted from rows a writer then
/// changed carries an epoch that is already old, and is counted again instead of served.
final class KeptSheetReading: Model, @unchecked Sendable {
    static let schema = "kept_sheet_readings"

    @ID(key: .id) var id: UUID?
    @Field(key: "assessment_id") var sheetID: UUID
    /// The day it is read as of: today, or the quarter's last day once the quarter has ended.
    @Field(key: "as_of") var asOf: String
    @Field(key: "rubric_version_id") var rubricID: UUID
    @Field(key: "unit_epoch") var unitEpoch: Int
    @Field(key: "bureau_epoch") var bureauEpoch: Int
    /// `Found` as JSON.
    @Field(key: "reading") var reading: String
    @Timestamp(key: "counted_at", on: .update) var countedAt: Date?

    var properties: [any AnyProperty] {
        [$id, $sheetID, $asOf, $rubricID, $unitEpoch, $bureauEpoch, $reading, $countedAt]
    }

    init() {}

    /// What is kept: the findings, each with the count the records imply, and the pace.
    struct Found: Codable, Equatable, Sendable {
        var findings: [Finding]
        var pace: [Pace]
    }

    struct Finding: Codable, Equatable, Sendable {
        let rule: String
        let count: Int
        let reason: String
    }

    /// The epochs now, and the kept reading if it was counted at them.
    struct Lookup: Sendable {
        let unitEpoch: Int
        let bureauEpoch: Int
        let found: Found?
    }

    /// One statement: the current epochs of `unit` and the bureau, and the sheet's kept reading as of `asOf`.
    static func lookup(sheet: UUID, unit: String, asOf: CalendarDay, rubric: UUID, on db: any Database)
        async throws -> Lookup
    {
        struct Row: Decodable {
            let unit_epoch: Int
            let bureau_epoch: Int
            let kept_unit: Int?
            let kept_bureau: Int?
            let reading: String?
        }
        let epochs = LedgerEpoch.schema
        let row = try await db.sql.raw(
            """
            SELECT COALESCE((SELECT epoch FROM \(ident: epochs) WHERE unit_code = \(bind: unit)), 0) AS unit_epoch,
              COALESCE((SELECT epoch FROM \(ident: epochs) WHERE unit_code = \(bind: LedgerEpoch.bureau)), 0) AS bureau_epoch,
              r.unit_epoch AS kept_unit, r.bureau_epoch AS kept_bureau, r.reading AS reading
            FROM (SELECT 1 AS one) one LEFT JOIN \(ident: schema) r ON r.assessment_id = \(bind: sheet)
              AND r.as_of = \(bind: asOf.description) AND r.rubric_version_id = \(bind: rubric)
            """
        ).first(decoding: Row.self)
        guard let row else { return Lookup(unitEpoch: 0, bureauEpoch: 0, found: nil) }
        let current = row.kept_unit == row.unit_epoch && row.kept_bureau == row.bureau_epoch
        return Lookup(
            unitEpoch: row.unit_epoch, bureauEpoch: row.bureau_epoch, found: current ? row.reading.flatMap(found) : nil)
    }

    /// A kept reading decoded, by its text: decoding it anew was a quarter of a draft sheet's read once the counting
    /// was kept. The text is its own key, so nothing is ever stale.
    private static func found(_ text: String) -> Found? {
        if let held = decoded.withLockedValue({ $0[text] }) { return held }
        guard let found = try? JSONDecoder().decode(Found.self, from: Data(text.utf8)) else { return nil }
        decoded.withLockedValue { held in
            if held.count >= heldReadings { held.removeAll(keepingCapacity: true) }
            held[text] = found
        }
        return found
    }

    private static let decoded = NIOLockedValueBox<[String: Found]>([:])
    private static let heldReadings = 1_000

    /// Keeps `found` as counted at `lookup`'s epochs. A reader's write of a derived row: on SQLite it queues with
    /// the writers; should it fail, the reading was served all the same and is counted again next time.
    static func keep(
        _ found: Found, sheet: UUID, asOf: CalendarDay, rubric: UUID, at lookup: Lookup, on db: any Database
    ) async {
        guard let text = try? String(decoding: JSONEncoder().encode(found), as: UTF8.self) else { return }
        do {
            try await db.writeTransaction { db in
                try await db.sql.raw(
                    """
                    INSERT INTO \(ident: schema)
                      (id, assessment_id, as_of, rubric_version_id, unit_epoch, bureau_epoch, reading, counted_at)
                    VALUES (\(bind: UUID()), \(bind: sheet), \(bind: asOf.description), \(bind: rubric),
                      \(bind: lookup.unitEpoch), \(bind: lookup.bureauEpoch), \(bind: text), \(bind: Date()))
                    ON CONFLICT (assessment_id) DO UPDATE SET as_of = excluded.as_of,
                      rubric_version_id = excluded.rubric_version_id, unit_epoch = excluded.unit_epoch,
                      bureau_epoch = excluded.bureau_epoch, reading = excluded.reading, counted_at = excluded.counted_at
                    """
                ).run()
            }
        } catch {
            db.logger.warning("保存考核表读数失败 (kept sheet reading not saved): \(String(reflecting: error))")
        }
    }

    /// Forgets the readings of sheets about to be deleted (a withdrawn quarter's, a unit removed outright).
    static func forget(sheets ids: [UUID], on db: any Database) async throws {
        try await KeptSheetReading.query(on: db).delete(where: \.$sheetID, in: ids)
    }

    static func forget(sheetsOf unit: String, on db: any Database) async throws {
        try await db.sql.raw(
            """
            DELETE FROM \(ident: schema) WHERE assessment_id IN
              (SELECT id FROM \(ident: Sheet.schema) WHERE unit_code = \(bind: unit))
            """
        ).run()
    }
}
