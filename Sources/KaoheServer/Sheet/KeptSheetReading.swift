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
    /// `Listing` as JSON (`Listing.text`).
    @OptionalField(key: "listing") var listing: String?
    @Timestamp(key: "counted_at", on: .update) var countedAt: Date?

    var properties: [any AnyProperty] {
        [$id, $sheetID, $asOf, $rubricID, $unitEpoch, $bureauEpoch, $reading, $listing, $countedAt]
    }

    init() {}

    /// The sheet's and the 待办's part of a reading (column `reading`): the ledger's findings, each with the count
    /// the records imply, the pace, what the keeper has due, and the yearly facts' findings once a sheet has asked
    /// for them (台账对照, which keeps a reading for a page of units, does not count them).
    struct Found: Codable, Equatable, Sendable {
        var findings: [Suggestion]
        var facts: [Suggestion]?
        var pace: [Pace]
        /// What the unit's keeper has due (their 待办).
        var due: LedgerDue
    }

    /// 台账对照's part (column `listing`), as the API writes a unit's part after its name: kept as the API's JSON so
    /// the whole bureau's view is written from the texts, not decoded and encoded again (`Compliance.json`).
    struct Listing: Codable, Equatable, Sendable {
        /// 部分记账: the quarter began before the unit's ledger counts.
        let partial: Bool
        let requirements: [Compliance.Line]

        /// The API's JSON of it: an object whose keys are those of `Compliance.UnitLines` after the unit's.
        var text: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self) }

        init(partial: Bool, requirements: [Compliance.Line]) {
            (self.partial, self.requirements) = (partial, requirements)
        }

        /// Decoded once for any number of reads, as `found` is: 台账对照's first page decodes the same fifty.
        init?(text: String) {
            guard let read = KeptSheetReading.listings.decoded(text) else { return nil }
            self = read
        }
    }

    /// A reading as counted: both parts.
    struct Counted: Sendable {
        var found: Found
        var listing: Listing
    }

    /// A reading to keep; `listing` nil keeps the listing already kept with it (a sheet adding its facts).
    typealias Kept = (sheet: UUID, rubric: UUID, found: Found, listing: String?)

    /// Which parts a lookup reads: the whole bureau's 台账对照 reads 6,000 listings and no findings.
    enum Parts: Sendable { case found, listing, both }

    /// The epochs now, and the kept readings that were counted at them, by sheet, as kept (text): each reader
    /// decodes what it reads of them.
    struct Lookup: Sendable {
        let bureauEpoch: Int
        let unitEpochs: [UUID: Int]
        let current: [UUID: String]
        let listings: [UUID: String]

        /// The sheet's current reading whole, as its sheet and the 待办 read it; nil when none is current.
        func found(_ sheet: UUID) -> Found? { current[sheet].flatMap(KeptSheetReading.found) }

        /// The sheet's current listing as kept (`Listing.text`); nil when none is current.
        func listing(_ sheet: UUID) -> String? { listings[sheet] }

        fileprivate init(_ rows: [Row]) {
            var (current, listings): ([UUID: String], [UUID: String]) = ([:], [:])
            for row in rows where row.kept_unit == row.unit_epoch && row.kept_bureau == row.bureau_epoch {
                current[row.sheet] = row.reading
                listings[row.sheet] = row.listing
            }
            bureauEpoch = rows.first?.bureau_epoch ?? 0
            unitEpochs = Dictionary(rows.map { ($0.sheet, $0.unit_epoch) }, uniquingKeysWith: { a, _ in a })
            (self.current, self.listings) = (current, listings)
        }
    }

    /// One statement for any number of sheets: the current epochs of their units and of the bureau, and each
    /// sheet's kept reading as of `asOf` under its rubric when it is still current — the `parts` asked for.
    static func lookup(_ sheets: [UUID], asOf: CalendarDay, parts: Parts = .found, on db: any Database) async throws
        -> Lookup
    {
        var rows: [Row] = []
        for batch in Array(Set(sheets)).chunked(into: 5_000) {
            rows += try await read(
                where: "a.id IN (\(SQLList(batch.map { SQLBind($0) })))", asOf: asOf, parts: parts, on: db)
        }
        return Lookup(rows)
    }

    /// A unit's sheet in a period: whose ledger is read, by which rubric.
    struct UnitSheet: Sendable {
        let unit: String
        let level: Unit.Kind
        let sheet: UUID
        let rubric: UUID
    }

    /// The sheets of `units` in `period`, in the units' order, with the lookup of their readings, in one statement:
    /// the 待办's ledger part finds its units' sheets and what they keep together.
    static func lookup(
        sheetsOf units: [String], in period: UUID, asOf: CalendarDay, on db: any Database
    ) async throws -> (sheets: [UnitSheet], lookup: Lookup) {
        guard !units.isEmpty else { return ([], Lookup([])) }
        let rows = try await read(
            where:
                "a.period_id = \(bind: period) AND a.unit_code IN (\(SQLList(Array(Set(units)).sorted().map { SQLBind($0) })))",
            asOf: asOf, parts: .found, on: db)
        let sheets = rows.map {
            UnitSheet(unit: $0.unit_code, level: $0.level, sheet: $0.sheet, rubric: $0.rubric_version_id)
        }
        return (sheets.sorted { $0.unit < $1.unit }, Lookup(rows))
    }

    fileprivate struct Row: Decodable {
        let sheet: UUID
        let unit_code: String
        let level: Unit.Kind
        let rubric_version_id: UUID
        let unit_epoch: Int
        let bureau_epoch: Int
        let kept_unit: Int?
        let kept_bureau: Int?
        let reading: String?
        let listing: String?
    }

    private static func read(
        where condition: SQLQueryString, asOf: CalendarDay, parts: Parts, on db: any Database
    ) async throws -> [Row] {
        let reading: SQLQueryString = parts == .listing ? "NULL" : "r.reading"
        let listing: SQLQueryString = parts == .found ? "NULL" : "r.listing"
        return try await db.sql.raw(
            """
            SELECT a.id AS sheet, a.unit_code, a.level, a.rubric_version_id, COALESCE(e.epoch, 0) AS unit_epoch,
              COALESCE((SELECT epoch FROM \(ident: LedgerEpoch.schema) WHERE unit_code = \(bind: LedgerEpoch.bureau)), 0)
                AS bureau_epoch,
              r.unit_epoch AS kept_unit, r.bureau_epoch AS kept_bureau, \(reading) AS reading,
              \(listing) AS listing
            FROM \(ident: Sheet.schema) a
            LEFT JOIN \(ident: LedgerEpoch.schema) e ON e.unit_code = a.unit_code
            LEFT JOIN \(ident: schema) r ON r.assessment_id = a.id AND r.as_of = \(bind: asOf.description)
              AND r.rubric_version_id = a.rubric_version_id
            WHERE \(condition)
            """
        ).all(decoding: Row.self)
    }

    /// Keeps each counted reading as counted at `lookup`'s epochs, a transaction for each batch of an import's size
    /// (the whole bureau's 台账对照 counts 6,000), in the sheets' order so two readers take the rows in the same order.
    /// A reader's write of derived rows: on SQLite it queues with the writers; should it fail, the readings were
    /// served all the same and are counted again next time.
    static func keep(
        _ counted: [Kept], asOf: CalendarDay, at lookup: Lookup, on db: any Database
    ) async {
        // Never inside another write's transaction: a derived row is no part of that write, and a failure here
        // would abort it on PostgreSQL.
        guard !WriteTransaction.isInside else { return }
        for batch in counted.sorted(by: { $0.sheet.uuidString < $1.sheet.uuidString })
            .chunked(into: WriteTransaction.batchSize)
        {
            await keep(batch, asOf: asOf, at: lookup, on: db)
        }
    }

    private static func keep(
        _ counted: ArraySlice<Kept>, asOf: CalendarDay, at lookup: Lookup, on db: any Database
    ) async {
        do {
            try await db.writeTransaction { db in
                for (sheet, rubric, found, listing) in counted {
                    let text = String(decoding: try JSONEncoder().encode(found), as: UTF8.self)
                    try await db.sql.raw(
                        """
                        INSERT INTO \(ident: schema)
                          (id, assessment_id, as_of, rubric_version_id, unit_epoch, bureau_epoch, reading, listing,
                           counted_at)
                        VALUES (\(bind: UUID()), \(bind: sheet), \(bind: asOf.description), \(bind: rubric),
                          \(bind: lookup.unitEpochs[sheet] ?? 0), \(bind: lookup.bureauEpoch), \(bind: text),
                          \(bind: listing), \(bind: Date()))
                        ON CONFLICT (assessment_id) DO UPDATE SET as_of = excluded.as_of,
                          rubric_version_id = excluded.rubric_version_id, unit_epoch = excluded.unit_epoch,
                          bureau_epoch = excluded.bureau_epoch, reading = excluded.reading,
                          listing = COALESCE(excluded.listing, \(ident: schema).listing),
                          counted_at = excluded.counted_at
                        """
                    ).run()
                }
            }
        } catch {
            db.logger.warning("保存考核表读数失败 (kept sheet readings not saved): \(String(reflecting: error))")
        }
    }

    /// A branch's or group's reading of `quarter` counted from its book: the ledger's findings before any entry is
    /// set against them, the pace, what is due, 台账对照's lines, and — when `facts` — the yearly facts' findings.
    static func count(
        _ unit: String, level: Unit.Kind, book: LedgerBook, quarter: Quarter, rubric: Rubric, today: CalendarDay,
        facts: Bool, on db: any Database
    ) async throws -> Counted {
        let reading = Ledger.reading(of: book, quarter: quarter, rubric: rubric, entries: [], today: today)
        let asOf = min(today, quarter.lastDay)
        return Counted(
            found: Found(
                findings: reading.suggestions,
                facts: facts
                    ? try await factFindings(unit, level: level, quarter: quarter, rubric: rubric, today: today, on: db)
                    : nil,
                pace: reading.pace, due: LedgerDue(book: book, quarter: quarter, rubric: rubric, asOf: asOf)),
            listing: Listing(
                partial: book.isPartial(quarter),
                requirements: Compliance.lines(book.lines(of: quarter, rubric: rubric, asOf: asOf))))
    }

    /// The yearly facts' findings of a branch or group (`YearFacts`), before any entry is set against them.
    static func factFindings(
        _ unit: String, level: Unit.Kind, quarter: Quarter, rubric: Rubric, today: CalendarDay, on db: any Database
    ) async throws -> [Suggestion] {
        try await YearFacts.suggestions(
            for: unit, level: level, quarter: quarter, rubric: rubric, entries: [], today: today, on: db)
    }

    /// A kept reading decoded, by its text: decoding it anew was a quarter of a draft sheet's read once the counting
    /// was kept, and a third of 台账对照's first page.
    fileprivate static func found(_ text: String) -> Found? { readings.decoded(text) }

    private static let readings = DecodedTexts<Found>(holding: 1_000)
    fileprivate static let listings = DecodedTexts<Listing>(holding: 1_000)

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

/// JSON texts decoded once and held by their text, which is its own key, so nothing held is ever stale; when full, it
/// starts again empty.
final class DecodedTexts<Value: Decodable & Sendable>: Sendable {
    private let held = NIOLockedValueBox<[String: Value]>([:])
    private let limit: Int

    init(holding limit: Int) { self.limit = limit }

    func decoded(_ text: String) -> Value? {
        if let value = held.withLockedValue({ $0[text] }) { return value }
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(text.utf8)) else { return nil }
        held.withLockedValue { held in
            if held.count >= limit { held.removeAll(keepingCapacity: true) }
            held[text] = value
        }
        return value
    }
}
