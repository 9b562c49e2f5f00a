import Fluent
import Foundation
import KaoheCore
import NIOConcurrencyHelpers
import SQLKit

extension Compliance {
    /// A listed unit as read: the unit's seven columns and its sheet.
    struct ListedRow: Decodable, Sendable {
        let code: String
        let name: String
        let kind: Unit.Kind
        let parent_code: String?
        let sort_order: Int
        let counted_from: String?
        let sheet: UUID
        let rubric_version_id: UUID

        var listed: Listed {
            let unit = Unit(code: code, name: name, kind: kind, parentCode: parent_code, sortOrder: sort_order)
            unit.countedFrom = counted_from
            return Listed(unit: unit, sheet: sheet, rubric: rubric_version_id)
        }
    }

    /// The quarter's whole listing in the tree's order, held for the bureau's epoch (`LedgerEpoch`): every change
    /// to what it lists (a unit added, renamed, moved or removed, a quarter opened or withdrawn) is audited and moves
    /// that epoch inside its write, and every start moves it. Ordering the 6,000 branches and groups of 1,000
    /// branches for each page of fifty was most of 台账对照's request; a page is now a slice of it. The epoch is read
    /// before the listing, so a listing is never older than the epoch it is held for.
    static func held(in period: Period, on db: any Database) async throws -> Held {
        let id = try period.requireID()
        let epoch = try await LedgerEpoch.bureauEpoch(on: db)
        if let kept = heldListings.withLockedValue({ $0[id] }), kept.epoch == epoch { return kept }
        guard let quarter = Quarter(year: period.year, quarter: period.quarter) else {
            return Held(epoch: epoch, rows: [], branches: [])
        }
        let rows = try await ordered(
            sheets(in: quarter, .init(), levels: [.branch, .group], on: db), limit: nil, offset: 0, on: db)
        let held = Held(
            epoch: epoch, rows: rows, branches: rows.filter { $0.kind == .branch }.map { ($0.code, $0.name) })
        heldListings.withLockedValue { listings in
            if listings.count >= heldPeriods { listings.removeAll(keepingCapacity: true) }
            listings[id] = held
        }
        return held
    }

    /// `given`, or the quarter's listing read.
    static func held(_ given: Held?, of quarter: Quarter, on db: any Database) async throws -> Held {
        if let given { return given }
        return try await held(in: period(of: quarter, on: db), on: db)
    }

    /// A quarter's listing as held: its branches and groups, and its branches alone (台账对照's branch filter).
    struct Held: Sendable {
        let epoch: Int
        let rows: [ListedRow]
        let branches: [(code: String, name: String)]
    }

    private static let heldListings = NIOLockedValueBox<[UUID: Held]>([:])
    private static let heldPeriods = 16
}
