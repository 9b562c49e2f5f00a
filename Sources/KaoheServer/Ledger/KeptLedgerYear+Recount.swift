import Fluent
import Foundation
import KaoheCore
import SQLKit

extension KeptLedgerYear {
    /// Counts the rows of `units` again for `years` and for every year each already has (so every row of a unit
    /// carries the same first record), inside the caller's write
    /// transaction, after its change: a record, a withdrawal, an import's batch, a completion mark, a dues month, a
    /// document, a roster change. A row left empty is removed.
    static func recount(_ units: some Collection<String>, years: some Collection<Int> = [Int](), on db: any Database)
        async throws
    {
        let codes = Set(units).sorted()
        guard !codes.isEmpty else { return }
        try await lock(codes, on: db)
        let kept = try await KeptLedgerYear.query(on: db).all(where: \.$unitCode, in: codes)
        for unit in codes {
            let rows = kept.filter { $0.unitCode == unit }
            let first = try await Ledger.keptSince([unit], on: db)?.code
            for year in Set(years).union(rows.map(\.year)).sorted() {
                let own = try await Own.count(unit, year: year, on: db)
                try await keep(own, first: first, of: unit, year: year, in: rows.first { $0.year == year }, on: db)
            }
        }
        try await LedgerEpoch.advance(codes, on: db)
    }

    /// After a change of rosters (a member's move, a group's move, a unit added or gone): the units above those
    /// named whose kept dues say who owed each month count again.
    static func rostersChanged(around codes: some Collection<String>, on db: any Database) async throws {
        let chains = Set(try await Access.chains(of: codes, on: db).values.joined()).union(codes)
        let owing = try await KeptLedgerYear.query(on: db).all(where: \.$unitCode, in: Array(chains))
            .filter { (try? $0.decoded().dues.isEmpty) == false }
        try await recount(owing.map(\.unitCode), on: db)
    }

    /// Counts every unit's every year from scratch, the kept rows replaced: after a restore, a generated bureau, the
    /// demo, and once when the table is made.
    /// - Parameter readings: whether every sheet's kept reading is to be counted again too (all but the migration
    ///   that made the table, which runs before the readings have a table of their own).
    static func recountAll(
        on db: any Database, readings: Bool = true, progress: (Int, Int) -> Void = { _, _ in }
    ) async throws {
        let wanted = try await inputs(on: db)
        try await KeptLedgerYear.query(on: db).delete()
        for (index, unit) in wanted.keys.sorted().enumerated() {
            let first = try await Ledger.keptSince([unit], on: db)?.code
            for year in wanted[unit, default: []].sorted() {
                try await keep(
                    try await Own.count(unit, year: year, on: db), first: first, of: unit, year: year, on: db)
            }
            progress(index + 1, wanted.count)
        }
        if readings { try await LedgerEpoch.advanceBureau(on: db) }
    }

    /// Where the kept rows differ from a count from scratch (`kaohe ledger check`): `unit year: what differs`.
    static func differences(on db: any Database, progress: (Int, Int) -> Void = { _, _ in }) async throws -> [String] {
        var wanted = try await inputs(on: db)
        let kept = try await KeptLedgerYear.query(on: db).all()
        for row in kept { wanted[row.unitCode, default: []].insert(row.year) }
        var found: [String] = []
        for (index, unit) in wanted.keys.sorted().enumerated() {
            let first = try await Ledger.keptSince([unit], on: db)?.code
            for year in wanted[unit, default: []].sorted() {
                let counted = try await Own.count(unit, year: year, on: db)
                let row = kept.first { $0.unitCode == unit && $0.year == year }
                let keptOwn = row.map { try? $0.decoded() } ?? Own()
                if keptOwn != counted { found.append("\(unit) \(year): 记录与重算不符 (kept figures differ from a recount)") }
                if let row, row.firstRecord != first {
                    found.append(
                        "\(unit) \(year): 首条记录 \(row.firstRecord ?? "无")，重算为 \(first ?? "无") (first record differs)")
                }
            }
            progress(index + 1, wanted.count)
        }
        return found
    }

    /// The quarter of the first standing record of each of `units` or of any unit below it, by unit (absent when
    /// none keeps a ledger): one walk down the tree for them all, meeting the kept rows on the way.
    static func firstRecords(below units: some Collection<String>, on db: any Database) async throws -> [String:
        Quarter]
    {
        var firsts: [String: Quarter] = [:]
        for batch in Array(Set(units)).chunked(into: 5_000) {
            let seeds = SQLList(batch.map { SQLBind($0) })
            let rows = try await db.sql.raw(
                """
                WITH RECURSIVE tree(seed, code) AS (
                  SELECT code, code FROM units WHERE code IN (\(seeds))
                  UNION ALL
                  SELECT tree.seed, units.code FROM units JOIN tree ON units.parent_code = tree.code
                ) SELECT tree.seed AS seed, MIN(k.first_record) AS first
                FROM tree JOIN \(ident: KeptLedgerYear.schema) k ON k.unit_code = tree.code GROUP BY tree.seed
                """
            ).all(decoding: FirstBelow.self)
            for row in rows { firsts[row.seed] = row.first.flatMap(Quarter.init(code:)) }
        }
        return firsts
    }

    private struct FirstBelow: Decodable {
        let seed: String
        let first: String?
    }

    /// Each unit with something recorded, with the years it recorded something in.
    private static func inputs(on db: any Database) async throws -> [String: Set<Int>] {
        struct Input: Decodable {
            let unit_code: String
            let year: String
        }
        let sources: [SQLQueryString] = [
            "SELECT DISTINCT unit_code, substr(date, 1, 4) AS year FROM \(ident: Activity.schema) WHERE withdrawn = \(bind: false)",
            "SELECT DISTINCT unit_code, substr(quarter, 1, 4) AS year FROM \(ident: LedgerCompletion.schema)",
            "SELECT DISTINCT unit_code, substr(month, 1, 4) AS year FROM \(ident: DuesRecord.schema) WHERE version > 0",
            "SELECT DISTINCT unit_code, CAST(year AS TEXT) AS year FROM \(ident: UnitDocument.schema)",
        ]
        var wanted: [String: Set<Int>] = [:]
        for source in sources {
            for input in try await db.sql.raw(source).all(decoding: Input.self) {
                if let year = Int(input.year) { wanted[input.unit_code, default: []].insert(year) }
            }
        }
        return wanted
    }

    private static func keep(
        _ own: Own, first: String?, of unit: String, year: Int, in row: KeptLedgerYear? = nil, on db: any Database
    ) async throws {
        guard !own.isEmpty else {
            try await row?.delete(on: db)
            return
        }
        let kept = row ?? KeptLedgerYear()
        kept.unitCode = unit
        kept.year = year
        kept.firstRecord = first
        kept.own = String(decoding: try JSONEncoder().encode(own), as: UTF8.self)
        try await kept.save(on: db)
    }

    /// One recount of a unit at a time on PostgreSQL, held to the end of the transaction: of two writers to one
    /// unit, the second counts after the first has committed and so sees both changes (at read committed, each of
    /// its statements sees what was committed before it began). SQLite has one writer at a time already.
    private static func lock(_ codes: [String], on db: any Database) async throws {
        guard db.sql.dialect.name != "sqlite" else { return }
        for code in codes {
            try await db.sql.raw("SELECT pg_advisory_xact_lock(29, hashtext(\(bind: code)))").run()
        }
    }
}
