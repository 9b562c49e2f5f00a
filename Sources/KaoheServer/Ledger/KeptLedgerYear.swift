import Fluent
import Foundation
import KaoheCore

/// A unit's own ledger of one year as counted by the last write that changed it (issue 29): the days of its own
/// standing records, its completion marks, its dues months and who owed them, the plans and summaries it reported.
/// Counted inside the write's transaction (`KeptLedgerYear.recount`), so a read of a sheet, an inbox or 台账对照 reads
/// one row a unit instead of its year of records. A unit with no row has recorded nothing. What is read live
/// instead: names, which groups a branch has, the day a unit counts from, 台账启用日 and the rubric — each a row a
/// reader reads anyway, and none of them a count.
final class KeptLedgerYear: Model, @unchecked Sendable {
    static let schema = "kept_ledger_years"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "year") var year: Int
    /// The quarter of the unit's first standing record of any year (`2026Q1`), the same in each of its rows: the
    /// ledger says nothing of the time before it.
    @OptionalField(key: "first_record") var firstRecord: String?
    /// `Own` as JSON.
    @Field(key: "own") var own: String
    @Timestamp(key: "counted_at", on: .update) var countedAt: Date?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $unitCode, $year, $firstRecord, $own, $countedAt] }

    init() {}

    func decoded() throws -> Own { try JSONDecoder().decode(Own.self, from: Data(own.utf8)) }

    /// What a unit's own inputs of one year come to.
    struct Own: Codable, Equatable, Sendable {
        /// The days of each kind of its standing records.
        var held: [ActivityType: [CalendarDay]] = [:]
        /// The same, by the 党小组 a branch's record names ("" for one held by the whole branch).
        var heldFor: [String: [ActivityType: [CalendarDay]]] = [:]
        /// The quarters its secretary marked complete, of any year (`2026Q3`).
        var completed: [String] = []
        var dues: [DuesMonth] = []
        /// Who owed each recorded month (`2026-08`), and their names.
        var owing: [String: [String]] = [:]
        var members: [String: String] = [:]
        var documents: [DocumentKind: CalendarDay] = [:]

        var isEmpty: Bool { self == Own() }

        /// Counts the unit's own inputs of `year` from the rows that hold them. One statement after another: it
        /// runs inside a write transaction, on its one connection.
        static func count(_ unit: String, year: Int, on db: any Database) async throws -> Own {
            var own = Own()
            let standing = try await Ledger.records(of: [unit], year: year, on: db)
            own.held = Ledger.held(in: standing)
            for (group, records) in Dictionary(grouping: standing, by: { $0.groupCode ?? "" }) {
                own.heldFor[group] = Ledger.held(in: records)
            }
            let marks = try await LedgerCompletion.query(on: db).filter(\.$unitCode == unit).all()
            own.completed = Set(marks.map(\.quarter)).sorted()
            own.dues = DuesLedger.months(try await DuesLedger.records(of: [unit], year: year, on: db))
            if !own.dues.isEmpty {
                let kind = try await Unit.query(on: db).filter(\.$code == unit).first()?.kind
                own.owing = LedgerBook.owing(own.dues, rosters: try await Ledger.rosters(of: unit, kind: kind, on: db))
                own.members = try await Unit.names(of: own.owing.values.joined(), on: db)
            }
            own.documents = Documents.submitted(try await Documents.list(of: unit, year: year, on: db))
            return own
        }
    }
}
