import Fluent
import Foundation
import KaoheCore

/// One group's or member's filed (备案) result of a quarter, as the level's results show it, without its rank: a
/// level of 50,000 members is filed one sheet at a time, and a write changes its own row only. The rank is counted
/// when read (`FiledResults.page`), from `standing`.
final class FiledResult: Model, @unchecked Sendable {
    static let schema = "filed_results"

    @ID(key: .id) var id: UUID?
    @Parent(key: "period_id") var period: Period
    /// group or member.
    @Field(key: "level") var level: Unit.Kind
    @Field(key: "unit_code") var unitCode: String
    /// The name it was filed under, for the search.
    @Field(key: "name") var name: String
    /// The total in millionths of a point: ordered and compared by the database as the rank rule compares totals.
    @Field(key: "standing") var standing: Int64
    /// `Results.Row` as JSON, its rank 0.
    @Field(key: "row") var row: String

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $period, $level, $unitCode, $name, $standing, $row] }

    init() {}

    static func standing(of total: Decimal) -> Int64 {
        Int64(truncating: NSDecimalNumber(decimal: total * 1_000_000))
    }

    func keep(_ row: Results.Row) throws {
        unitCode = row.unit
        name = row.name
        standing = Self.standing(of: row.total)
        self.row = String(decoding: try JSONEncoder().encode(row.ranked(0)), as: UTF8.self)
    }

    func decoded(rank: Int) throws -> Results.Row {
        try JSONDecoder().decode(Results.Row.self, from: Data(row.utf8)).ranked(rank)
    }
}
