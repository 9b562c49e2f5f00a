import Fluent
import Foundation
import NIOConcurrencyHelpers

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

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $period, $level, $rows, $rowsGzip, $computedAt] }

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

    /// Which keeping of a level's rows: the row's id and the time it was kept. Whatever keeps rows again (a veto, an
    /// upheld objection, a new name) gives them a new time, on whichever instance it runs.
    struct Version: Equatable, Sendable {
        let id: UUID
        let keptAt: Date?

        init(_ stored: StoredResults) throws {
            id = try stored.requireID()
            keptAt = stored.computedAt
        }
    }

    /// What is derived from kept rows (their decoding, the bytes a response sends), held for the newest few versions:
    /// a published quarter is the same for every reader until it is kept again, and then its version differs.
    final class Versions<Value: Sendable>: Sendable {
        private let capacity: Int
        private let held = NIOLockedValueBox<[(version: Version, value: Value)]>([])

        init(capacity: Int = 8) { self.capacity = capacity }

        func value(of version: Version) -> Value? {
            held.withLockedValue { $0.first { $0.version == version }?.value }
        }

        func keep(_ value: Value, of version: Version) {
            held.withLockedValue { versions in
                versions.removeAll { $0.version.id == version.id }
                versions.insert((version, value), at: 0)
                if versions.count > capacity { versions.removeLast(versions.count - capacity) }
            }
        }
    }
}
