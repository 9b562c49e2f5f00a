import Foundation

/// A JSON document read as plain values, numbers kept as exact decimals (JSONDecoder reads `Decimal` from the
/// literal digits: 0.1, 3.35 and 216.67 arrive exactly). Reading input this way lets every problem of it be
/// named, with its unit, entry and field, instead of stopping at the first one.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Decimal.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses a JSON document, or says in one line why it is not one.
    static func parse(_ data: Data) throws(EntryProblems) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw EntryProblems([EntryProblem(unit: nil, message: "not valid JSON: \(Self.explain(data))")])
        }
    }

    /// JSONDecoder says only that the data is not valid JSON; JSONSerialization says where.
    private static func explain(_ data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            if let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String { return detail }
        }
        return "the data is not a JSON document"
    }

    var kindName: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): "\"\(value)\""
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// One JSON object read as the fields of one subject: unknown keys and missing required keys are reported
/// when it is opened, wrong types as each field is read. `null` counts as absent.
struct JSONFields {
    private let values: [String: JSONValue]
    private let report: (_ field: String?, _ message: String) -> Void

    /// `report` receives each problem with the field it is about (nil for an unknown key or a non-object).
    init?(
        _ value: JSONValue, what: String, required: [String], optional: [String],
        report: @escaping (_ field: String?, _ message: String) -> Void
    ) {
        guard case .object(let object) = value else {
            report(nil, "\(what) must be an object, got \(value.kindName)")
            return nil
        }
        self.report = report
        values = object.filter { $0.value != .null }
        let known = Set(required + optional)
        for key in object.keys.sorted() where !known.contains(key) { report(nil, "unknown key '\(key)'") }
        for key in required where values[key] == nil { report(key, "missing '\(key)'") }
    }

    func string(_ key: String) -> String? {
        guard let value = values[key] else { return nil }
        guard case .string(let text) = value else { return wrongType(key, value, "text") }
        return text
    }

    func decimal(_ key: String) -> Decimal? {
        guard let value = values[key] else { return nil }
        guard case .number(let number) = value else { return wrongType(key, value, "a number") }
        return number
    }

    func integer(_ key: String) -> Int? {
        guard let value = values[key] else { return nil }
        guard case .number(let number) = value, let integer = number.wholeNumber else {
            return wrongType(key, value, "an integer")
        }
        return integer
    }

    func bool(_ key: String) -> Bool? {
        guard let value = values[key] else { return nil }
        guard case .bool(let flag) = value else { return wrongType(key, value, "true or false") }
        return flag
    }

    func array(_ key: String) -> [JSONValue]? {
        guard let value = values[key] else { return nil }
        guard case .array(let array) = value else { return wrongType(key, value, "a list") }
        return array
    }

    func object(_ key: String) -> [String: JSONValue]? {
        guard let value = values[key] else { return nil }
        guard case .object(let object) = value else { return wrongType(key, value, "an object") }
        return object
    }

    private func wrongType<T>(_ key: String, _ value: JSONValue, _ expected: String) -> T? {
        report(key, "'\(key)' must be \(expected), got \(value.kindName)")
        return nil
    }
}
