import Fluent
import Foundation

/// A published quarter's results at one level, ranked, as the board and `GET …/results` serve them (the JSON of
/// `[Results.Row]`). Nothing changes a published result but a re-review, a veto or a unit's new name, and each of
/// those stores the rows again in its own transaction; reading never scores.
final class StoredResults: Model, @unchecked Sendable {
    static let schema = "period_results"

    @ID(key: .id) var id: UUID?
    @Parent(key: "period_id") var period: Period
    /// branch, group or member.
    @Field(key: "level") var level: Unit.Kind
    @Field(key: "rows") var rows: String
    /// The same JSON as gzip, for the clients that accept it (nil for rows stored before M016).
    @OptionalField(key: "rows_gzip") var rowsGzip: Data?
    @Timestamp(key: "computed_at", on: .update) var computedAt: Date?

    init() {}

    /// Keeps `rows` as JSON, and its gzip beside it.
    func keep(_ rows: [Results.Row]) throws {
        let json = try JSONEncoder().encode(rows)
        self.rows = String(decoding: json, as: UTF8.self)
        rowsGzip = try Gzip.compress(json)
    }

    /// The rows as kept, as `Row` (the whole row, or only the fields a reader needs).
    func decoded<Row: Decodable>(as: Row.Type = Results.Row.self) throws -> [Row] {
        try JSONDecoder().decode([Row].self, from: Data(rows.utf8))
    }
}
