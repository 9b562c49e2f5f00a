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
    static func held(in period: Period, on db: any Database) async throws -> [ListedRow] {
        let id = try period.requireID()
        let epoch = try await LedgerEpoch.bureauEpoch(on: db)
        if let kept = heldListings.withLockedValue({ $0[id] }), kept.epoch == epoch { return kept.rows }
        guard let quarter = Quarter(year: period.year, quarter: period.quarter) else { return [] }
        let rows = try await ordered(
            sheets(in: quarter, .init(), levels: [.branch, .group], on: db), limit: nil, offset: 0, on: db)
        heldListings.withLockedValue { held in
            if held.count >= heldPeriods { held.removeAll(keepingCapacity: true) }
            held[id] = (epoch, rows)
        }
        return rows
    }

    private static let heldListings = NIOLockedValueBox<[UUID: (epoch: Int, rows: [ListedRow])]>([:])
    private static let heldPeriods = 16
}
