import Fluent
import Foundation

/// 部分记账 ends: the unit's secretary says the ledger of a quarter is complete. A unit's ledger is counted from
/// the first quarter so marked, or else from the quarter after its first record: the quarter in which a ledger
/// starts holds only what was entered since, and suggests no deductions until its secretary says otherwise.
final class LedgerCompletion: Model, @unchecked Sendable {
    static let schema = "ledger_completions"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "unit_code") var unitCode: String
    /// The quarter, `2026Q3`.
    @Field(key: "quarter") var quarter: String
    @Field(key: "marked_by") var markedBy: String

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $createdAt, $unitCode, $quarter, $markedBy] }

    init() {}

    init(unitCode: String, quarter: String, markedBy: String) {
        self.unitCode = unitCode
        self.quarter = quarter
        self.markedBy = markedBy
    }
}
