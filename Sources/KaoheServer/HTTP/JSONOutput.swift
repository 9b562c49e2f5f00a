import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// A JSON document written straight into a buffer, field by field, for the documents the API answers with on every
/// call of the workflow (a sheet). Foundation's `JSONEncoder` builds a tree of every value through `Encodable`
/// first and then writes it: 18 % of a sheet's read (issue 12). What this writes is what `JSONEncoder` writes as
/// Vapor configures it (a field left out when nil, dates in ISO 8601 to the second, decimals as their digits); a
/// test holds each document written this way equal to Foundation's.
struct JSONOutput {
    private(set) var buffer: ByteBuffer
    /// Whether the object or array being written has no member yet, innermost last.
    private var empty: [Bool] = []

    init(_ buffer: ByteBuffer) {
        self.buffer = buffer
    }

    mutating func object(_ members: (inout JSONOutput) throws -> Void) rethrows {
        separate()
        buffer.writeInteger(UInt8(ascii: "{"))
        empty.append(true)
        try members(&self)
        empty.removeLast()
        buffer.writeInteger(UInt8(ascii: "}"))
    }

    mutating func array<S: Sequence>(_ elements: S, _ element: (inout JSONOutput, S.Element) throws -> Void) rethrows {
        separate()
        buffer.writeInteger(UInt8(ascii: "["))
        empty.append(true)
        for value in elements { try element(&self, value) }
        empty.removeLast()
        buffer.writeInteger(UInt8(ascii: "]"))
    }

    /// A member's name; its value follows.
    mutating func key(_ name: String) {
        separate()
        string(name)
        buffer.writeInteger(UInt8(ascii: ":"))
        // The value that follows is no new member.
        empty[empty.count - 1] = true
    }

    // MARK: members: each left out when nil, as `encodeIfPresent` leaves it

    mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        self.value(value)
    }

    mutating func field(_ name: String, _ value: Int?) {
        guard let value else { return }
        key(name)
        self.value(value)
    }

    mutating func field(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        self.value(value)
    }

    mutating func field(_ name: String, _ value: Decimal?) {
        guard let value else { return }
        key(name)
        self.value(value)
    }

    mutating func field(_ name: String, _ value: Date?) {
        guard let value else { return }
        key(name)
        self.value(value.formatted(.iso8601))
    }

    mutating func field(_ name: String, _ value: UUID?) {
        guard let value else { return }
        key(name)
        self.value(value.uuidString)
    }

    // MARK: values

    mutating func value(_ text: String) {
        separate()
        string(text)
    }

    mutating func value(_ number: Int) {
        separate()
        buffer.writeString(String(number))
    }

    mutating func value(_ flag: Bool) {
        separate()
        buffer.writeStaticString(flag ? "true" : "false")
    }

    mutating func value(_ number: Decimal) {
        separate()
        buffer.writeString(Self.digits(of: number))
    }

    /// A decimal's digits as `description` writes them, held by value: a sheet's scores are a few hundred decimals
    /// drawn from a few dozen values (2, 0.5, 97.5), and `Decimal.description` was half of writing the document.
    static func digits(of number: Decimal) -> String {
        if let known = decimals.withLockedValue({ $0[number] }) { return known }
        let text = number.description
        decimals.withLockedValue { held in
            if held.count >= 4_096 { held.removeAll(keepingCapacity: true) }
            held[number] = text
        }
        return text
    }

    private static let decimals = NIOLockedValueBox<[Decimal: String]>([:])

    /// A comma before every member but the first.
    private mutating func separate() {
        guard let last = empty.last else { return }
        if last {
            empty[empty.count - 1] = false
        } else {
            buffer.writeInteger(UInt8(ascii: ","))
        }
    }

    /// A string with `"`, `\` and the control characters escaped; the rest as its UTF-8.
    private mutating func string(_ text: String) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var utf8 = text.utf8
        if utf8.withContiguousStorageIfAvailable({ bytes in !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } })
            == true
        {
            buffer.writeString(text)
        } else {
            escape(&utf8)
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private mutating func escape(_ utf8: inout String.UTF8View) {
        let hex = Array("0123456789abcdef".utf8)
        for byte in utf8 {
            switch byte {
            case 0x22: buffer.writeStaticString("\\\"")
            case 0x5C: buffer.writeStaticString("\\\\")
            case 0x0A: buffer.writeStaticString("\\n")
            case 0x0D: buffer.writeStaticString("\\r")
            case 0x09: buffer.writeStaticString("\\t")
            case 0x08: buffer.writeStaticString("\\b")
            case 0x0C: buffer.writeStaticString("\\f")
            case ..<0x20:
                buffer.writeStaticString("\\u00")
                buffer.writeInteger(hex[Int(byte >> 4)])
                buffer.writeInteger(hex[Int(byte & 0x0F)])
            default: buffer.writeInteger(byte)
            }
        }
    }
}
