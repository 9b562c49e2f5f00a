import FluentKit
import Foundation
import SQLKit

/// Rows of a table as PostgreSQL's `json_agg(t)` (or SQLite's `json_object` of each column) writes them — one JSON
/// object per row, its columns as keys — read back as `SQLRow`s, so that Fluent decodes its models from them as from
/// any row. Several small reads then go to the database as one query with one subquery each (`SheetDocument.Parts`):
/// on PostgreSQL every query is a round trip, a parse and a plan, and those cost more than the reads themselves.
///
/// Only the values a table's columns hold in Kaohe are read: text, numbers, booleans, null, and timestamps as
/// PostgreSQL writes them in JSON (ISO 8601 with an offset). SQLite's rows come as its `json_object` writes them:
/// booleans as 0 and 1, timestamps as seconds since 1970. A nested object or array is refused.
enum JSONRows {
    /// The rows of one JSON array column; `nil` (no rows matched, so `json_agg` gave NULL) is none. Read by hand
    /// (`Parser`): Foundation's decoder, into dictionaries of a `Decodable` enum trying each type in turn, was a third
    /// of a draft sheet's request with a few dozen entries.
    static func rows(_ text: String?) throws -> [any SQLRow] {
        guard var text else { return [] }
        return try text.withUTF8 { bytes in
            var parser = Parser(bytes: bytes)
            return try parser.rows().map(Row.init)
        }
    }

    /// A subquery whose one value is the JSON array of `model`'s rows `t` where `condition` holds (`[]` or NULL when
    /// none does). PostgreSQL writes a row as JSON itself (`json_agg(t)`); SQLite is given each column by name
    /// (`json_object`, from the model's own list) and keeps the inner query's order.
    static func array<M: Model>(
        of model: M.Type, where condition: SQLQueryString, orderedBy order: String? = nil, limit: Int? = nil,
        on sql: any SQLDatabase
    ) -> SQLQueryString {
        let orderBy = order.map { " ORDER BY t.\($0)" } ?? ""
        let limited = limit.map { " LIMIT \($0)" } ?? ""
        let inner: SQLQueryString =
            "SELECT * FROM \(ident: M.schema) t WHERE \(condition)\(unsafeRaw: orderBy)\(unsafeRaw: limited)"
        if sql.dialect.name == "postgresql" {
            return "(SELECT json_agg(t\(unsafeRaw: orderBy))::text FROM (\(inner)) t)"
        }
        let fields = M.keys.map { #"'\#($0.description)', t."\#($0.description)""# }.joined(separator: ", ")
        return "(SELECT json_group_array(json_object(\(unsafeRaw: fields))) FROM (\(inner)) t)"
    }

    /// The models of an `array(of:…)` column of `row`.
    static func models<M: Model>(_ model: M.Type, _ column: String, of row: any SQLRow) throws -> [M] {
        try rows(row.decode(column: column, as: String?.self)).map { try $0.decode(fluentModel: M.self) }
    }

    /// One column's value as JSON has it.
    enum Value: Sendable, Equatable {
        /// Whole numbers are kept whole: a `bigint` beyond 2^53 is not a `Double`.
        case null, bool(Bool), integer(Int64), number(Double), string(String)
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
            switch value {
            case .bool(let bool): return bool
            // SQLite keeps a boolean as 0 or 1, and `json_object` writes it so.
            case .integer(0): return false
            case .integer(1): return true
            default: throw mismatch(type)
            }
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
                switch value {
                case .string(let text):
                    guard let date = JSONRows.timestamp(text) else { throw mismatch(type) }
                    return date as! T
                // SQLite keeps a timestamp as seconds since 1970 (SQLiteNIO's `Date`).
                case .number(let seconds): return Date(timeIntervalSince1970: seconds) as! T
                case .integer(let seconds): return Date(timeIntervalSince1970: Double(seconds)) as! T
                default: throw mismatch(type)
                }
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

    /// An array of flat objects, as `json_agg` and `json_group_array(json_object(…))` write rows: strings (with every
    /// JSON escape), numbers, booleans and null as values; a nested object or array is refused.
    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var at = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func rows() throws -> [[String: Value]] {
            var rows: [[String: Value]] = []
            try expect(UInt8(ascii: "["))
            if try !closes(UInt8(ascii: "]")) {
                repeat { rows.append(try object()) } while try separated(closing: UInt8(ascii: "]"))
            }
            skipSpace()
            guard at == bytes.count else { throw malformed("text after the array") }
            return rows
        }

        private mutating func object() throws -> [String: Value] {
            var columns: [String: Value] = [:]
            try expect(UInt8(ascii: "{"))
            if try !closes(UInt8(ascii: "}")) {
                repeat {
                    skipSpace()
                    let key = try string()
                    try expect(UInt8(ascii: ":"))
                    columns[key] = try value()
                } while try separated(closing: UInt8(ascii: "}"))
            }
            return columns
        }

        private mutating func value() throws -> Value {
            skipSpace()
            guard at < bytes.count else { throw malformed("a value expected") }
            switch bytes[at] {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try word("true"); return .bool(true)
            case UInt8(ascii: "f"): try word("false"); return .bool(false)
            case UInt8(ascii: "n"): try word("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
            default: throw malformed("a nested value is not a column's")
            }
        }

        private mutating func number() throws -> Value {
            let start = at
            var whole = true
            scan: while at < bytes.count {
                switch bytes[at] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): break
                case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"), UInt8(ascii: "+"): whole = false
                default: break scan
                }
                at += 1
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            if whole, let integer = Int64(text) { return .integer(integer) }
            guard let number = Double(text) else { throw malformed("\(text) is not a number") }
            return .number(number)
        }

        private mutating func string() throws -> String {
            try expect(UInt8(ascii: "\""), skippingSpace: false)
            let start = at
            // Most strings have no escape: taken as they are.
            while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") { at += 1 }
            guard at < bytes.count else { throw malformed("an unterminated string") }
            var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<at]))
            while bytes[at] == UInt8(ascii: "\\") {
                at += 1
                guard at < bytes.count else { throw malformed("an unterminated escape") }
                let escaped = bytes[at]
                at += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A surrogate pair: the second half must follow as its own escape.
                        guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u")
                        else { throw malformed("a lone surrogate") }
                        at += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw malformed("a lone surrogate") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw malformed("a lone surrogate") }
                    utf8.append(contentsOf: UTF8.encode(unicode)!)
                default: throw malformed("an unknown escape")
                }
                let run = at
                while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\") { at += 1 }
                guard at < bytes.count else { throw malformed("an unterminated string") }
                utf8.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<at]))
            }
            at += 1
            return String(decoding: utf8, as: UTF8.self)
        }

        private mutating func hex4() throws -> UInt32 {
            guard at + 4 <= bytes.count,
                let value = UInt32(
                    String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<at + 4]), as: UTF8.self),
                    radix: 16)
            else { throw malformed("a malformed \\u escape") }
            at += 4
            return value
        }

        private mutating func word(_ word: StaticString) throws {
            let count = word.utf8CodeUnitCount
            guard at + count <= bytes.count,
                UnsafeBufferPointer(rebasing: bytes[at..<at + count]).elementsEqual(
                    UnsafeBufferPointer(start: word.utf8Start, count: count))
            else { throw malformed("an unknown word") }
            at += count
        }

        /// After an element: true at a comma (another follows), false at `closing`.
        private mutating func separated(closing: UInt8) throws -> Bool {
            skipSpace()
            guard at < bytes.count else { throw malformed("an unterminated list") }
            if bytes[at] == UInt8(ascii: ",") {
                at += 1
                return true
            }
            try expect(closing)
            return false
        }

        /// Whether the list just opened closes at once (`[]`, `{}`).
        private mutating func closes(_ closing: UInt8) throws -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == closing else { return false }
            at += 1
            return true
        }

        private mutating func expect(_ byte: UInt8, skippingSpace: Bool = true) throws {
            if skippingSpace { skipSpace() }
            guard at < bytes.count, bytes[at] == byte else {
                throw malformed("\(Character(Unicode.Scalar(byte))) expected")
            }
            at += 1
        }

        private mutating func skipSpace() {
            while at < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[at]) { at += 1 }
        }

        private func malformed(_ what: String) -> DecodingError {
            .dataCorrupted(.init(codingPath: [], debugDescription: "JSON rows: \(what) at byte \(at)"))
        }
    }
}
