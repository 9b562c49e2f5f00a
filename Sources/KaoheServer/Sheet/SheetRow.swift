import Foundation
import KaoheCore
import SQLKit

/// What the rules read of a sheet: whose it is, where it stands and what it kept. `Policy`, `SheetTurn`,
/// `SheetDeadlines` and the scoring decide by these alone, so they answer the same for a Fluent `Sheet` (the
/// sheet a route changes) and for a `SheetRow` (a board's sheet, only read).
protocol SheetFacts {
    var unitCode: String { get }
    var level: Unit.Kind { get }
    var state: SheetState { get }
    var version: Int { get }
    var submittedAt: Date? { get }
    var late: Bool { get }
    var selfReported: Bool { get }
    var reviewLate: Bool { get }
    var selfScore: String? { get }
    var baseBonus: String? { get }
    /// The units above it in its quarter (`Sheet.above`), or nil to read today's tree.
    var above: String? { get }
}

extension SheetFacts {
    /// The sheet's unit and the units above it in its quarter, nearest first: as kept when it was opened, else as
    /// the tree (`parents`) stands today.
    func chain(parents: [String: String?]) -> [String] {
        keptChain ?? Access.unitAndAncestors(unitCode, parents: parents)
    }

    /// The chain kept when the sheet was opened (`Sheet.above`), nil for a sheet opened before it was kept.
    var keptChain: [String]? {
        above.map { [unitCode] + $0.split(separator: " ").map(String.init) }
    }
}

extension Sheet: SheetFacts {}

/// A sheet as a board lists it: the columns the rules and the rows read, decoded by hand. A board of fifty sheets
/// built fifty Fluent models, seventeen property objects each, and read them back through their property wrappers:
/// a fifth of the dashboard's time (docs/performance.md).
struct SheetRow: SheetFacts, Sendable {
    let id: UUID
    let rubricID: UUID
    let unitCode: String
    let level: Unit.Kind
    let state: SheetState
    let version: Int
    let submittedAt: Date?
    let late: Bool
    let selfReported: Bool
    let reviewLate: Bool
    let selfScore: String?
    let baseBonus: String?
    let above: String?

    /// The select list `init(_:)` reads.
    static let columns: SQLQueryString = """
        id, rubric_version_id, unit_code, level, state, version, submitted_at, late, self_reported, review_late, \
        self_score, base_bonus, above
        """

    init(_ row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        rubricID = try row.decode(column: "rubric_version_id", as: UUID.self)
        unitCode = try row.decode(column: "unit_code", as: String.self)
        level = try row.decode(column: "level", as: Unit.Kind.self)
        state = try row.decode(column: "state", as: SheetState.self)
        version = try row.decode(column: "version", as: Int.self)
        submittedAt = try row.decode(column: "submitted_at", as: Date?.self)
        late = try row.decode(column: "late", as: Bool.self)
        selfReported = try row.decode(column: "self_reported", as: Bool.self)
        reviewLate = try row.decode(column: "review_late", as: Bool.self)
        selfScore = try row.decode(column: "self_score", as: String?.self)
        baseBonus = try row.decode(column: "base_bonus", as: String?.self)
        above = try row.decode(column: "above", as: String?.self)
    }
}
