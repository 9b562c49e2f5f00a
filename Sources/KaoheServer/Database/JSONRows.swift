import Foundation
import SQLKit

/// Rows of a table as PostgreSQL's `json_agg(t)` writes them — one JSON object per row, its columns as keys — read
/// back as `SQLRow`s, so that Fluent decodes its models from them as from any row. Several small reads then go to the
/// database as one query with one subquery each (`SheetDocument.Parts`): on PostgreSQL every query is a round trip, a
/// parse and a plan, and those cost more than the reads themselves.
///
/// Only the values a table's columns hold in Kaohe are read: text, numbers, booleans, null, and timestamps as
/// PostgreSQL writes them in JSON (ISO 8601 with an offset); a nested object or array is refused.
enum JSONRows {
    /// The rows of one `json_agg(…)::text` column; `nil` (no rows matched, so `json_agg` gave NULL) is none.
    static func rows(_ text: String?) throws -> [any SQLRow] {
        guard let text else { return [] }
        return try JSONDecoder().decode([[String: Value]].self, from: Data(text.utf8)).map(Row.init)
    }

    /// One column's value as JSON has it.
    enum Value: Decodable, Sendable {
        /// Whole numbers are kept whole: a `bigint` beyond 2^53 is not a `Double`.
        case null, bool(Bool), integer(Int64), number(Double), string(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let string = try? container.decode(String.self) {
                self = .string(string)
            } else if let bool = try? container.decode(Bool.self) {
                self = .bool(bool)
            } else if let integer = try? container.decode(Int64.self) {
                self = .integer(integer)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "a nested value is not a column's")
            }
        }
    }

    struct Row: SQLRow {
        let columns: [String: Value]

        init(_ columns: [String: Value]) { self.columns = columns }

        var allColumns: [String] { Array(columns.keys) }

        func contains(column: String) -> Bool { columns[column] != nil }

        func decodeNil(column: String) throws -> Bool {
            if case .null = columns[column] ?? .null { return true }
            return false
        }

        func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
            try ColumnDecoder(value: columns[column] ?? .null, codingPath: [Key(column)]).decode(D.self)
        }
    }

    /// A decoder of one column's value: what `D(from:)` asks of it is a single value.
    private struct ColumnDecoder: Decoder, SingleValueDecodingContainer {
        let value: Value
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

        func container<K: CodingKey>(keyedBy type: K.Type) throws -> KeyedDecodingContainer<K> {
            throw DecodingError.typeMismatch(
                type, .init(codingPath: codingPath, debugDescription: "a column holds no object"))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw DecodingError.typeMismatch(
                [Any].self, .init(codingPath: codingPath, debugDescription: "a column holds no array"))
        }

        func decodeNil() -> Bool {
            if case .null = value { return true }
            return false
        }

        func decode(_ type: Bool.Type) throws -> Bool {
            guard case .bool(let bool) = value else { throw mismatch(type) }
            return bool
        }

        func decode(_ type: String.Type) throws -> String {
            guard case .string(let string) = value else { throw mismatch(type) }
            return string
        }

        func decode(_ type: Double.Type) throws -> Double {
            switch value {
            case .number(let number): return number
            case .integer(let integer): return Double(integer)
            default: throw mismatch(type)
            }
        }

        func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

        func decode(_ type: Int.Type) throws -> Int { try decodeInteger(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try decodeInteger(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try decodeInteger(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try decodeInteger(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try decodeInteger(type) }
        func decode(_ type: UInt.Type) throws -> UInt { try decodeInteger(type) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeInteger(type) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeInteger(type) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeInteger(type) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeInteger(type) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            switch type {
            case is Date.Type:
                guard case .string(let text) = value, let date = JSONRows.timestamp(text) else { throw mismatch(type) }
                return date as! T
            default: return try T(from: self)
            }
        }

        private func decodeInteger<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
            guard case .integer(let whole) = value, let integer = I(exactly: whole) else { throw mismatch(type) }
            return integer
        }

        private func mismatch(_ type: Any.Type) -> DecodingError {
            .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "column holds \(value)"))
        }
    }

    private struct Key: CodingKey {
        let stringValue: String
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// A `timestamptz` as PostgreSQL writes it in JSON: `2026-12-03T06:31:53.80223+00:00` (fraction and the offset's
    /// minutes optional, `Z` accepted).
    static func timestamp(_ text: String) -> Date? {
        let c = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= c.count else { return nil }
            var n = 0
            for byte in c[from..<from + count] {
                guard (48...57).contains(byte) else { return nil }
                n = n * 10 + Int(byte - 48)
            }
            return n
        }
        guard c.count >= 19, c[4] == 45, c[7] == 45, c[10] == 84, c[13] == 58, c[16] == 58,
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var i = 19
        var fraction = 0.0
        if i < c.count, c[i] == 46 {
            i += 1
            var scale = 0.1
            while i < c.count, (48...57).contains(c[i]) {
                fraction += Double(c[i] - 48) * scale
                scale /= 10
                i += 1
            }
        }
        var offset = 0
        if i < c.count, c[i] == 90 {
            i += 1
        } else if i < c.count, c[i] == 43 || c[i] == 45 {
            let sign = c[i] == 45 ? -1 : 1
            guard let hours = number(i + 1, 2) else { return nil }
            i += 3
            var minutes = 0
            if i < c.count, c[i] == 58 {
                guard let m = number(i + 1, 2) else { return nil }
                minutes = m
                i += 3
            }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard i == c.count else { return nil }
        // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
