import NIOCore

/// MultipartKit 4.7.1's `MultipartParser` looks up each byte of a part's header name in a 128-entry table, so a
/// byte of 0x80 or more there (`--b\r\n\u{80}…`) indexes past it and traps the whole process: one request from
/// anyone took the server down (the fuzzer found it). This check walks the same states as that parser, byte for
/// byte, and refuses such a byte before the parser is given it. It runs in front of every `MultipartParser` of
/// Kaohe's (the spooled uploads and `InputGuard`'s inspection, which precedes Vapor's `FormDataDecoder`).
/// Remove it when the listed MultipartKit checks the byte itself.
struct MultipartNameCheck {
    struct Refused: Error {}

    private enum State {
        case preamble(match: Int)
        case preHeaders(sawCR: Bool)
        case headerName(empty: Bool)
        case headerValue
        case postHeaderValue
        case postHeaders
        case body
        case boundary(match: Int)
        case epilogue
        /// The parser throws a syntax error here; nothing after it is parsed.
        case stopped
    }

    private let delimiter: [UInt8]
    private var state = State.preamble(match: 0)

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// Checks the next bytes of the body; throws `Refused` at a byte the parser would trap on.
    mutating func check(_ buffer: ByteBuffer) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            var index = bytes.startIndex
            while index < bytes.endIndex {
                if case .body = state {
                    // The bulk of a file: the parser only looks for the delimiter's first byte.
                    guard let cr = bytes[index...].firstIndex(of: delimiter[0]) else { return }
                    index = cr
                    state = .boundary(match: 0)
                }
                try step(bytes[index])
                index += 1
            }
        }
    }

    // Each case as `MultipartParser` 4.7.1 reads the byte in the same state.
    private mutating func step(_ byte: UInt8) throws {
        let cr: UInt8 = 13, lf: UInt8 = 10, colon: UInt8 = 58, hyphen: UInt8 = 45
        switch state {
        case .preamble(var match):
            if match == 0, byte == delimiter[2] {
                match = 3
            } else if byte == delimiter[match] {
                match += 1
            } else if match > 0, byte == delimiter[0] {
                match = 1
            } else {
                match = 0
            }
            state = match >= delimiter.count ? .preHeaders(sawCR: false) : .preamble(match: match)
        case .preHeaders(let sawCR):
            switch (sawCR, byte) {
            case (false, cr): state = .preHeaders(sawCR: true)
            case (true, lf): state = .headerName(empty: true)
            default: state = .stopped
            }
        case .headerName(let empty):
            if byte == colon, !empty {
                state = .headerValue
            } else if byte == cr, empty {
                state = .postHeaders
            } else if byte >= 0x80 {
                throw Refused()
            } else {
                state = Self.isTokenByte(byte) ? .headerName(empty: false) : .stopped
            }
        case .headerValue:
            if byte == cr { state = .postHeaderValue }
        case .postHeaderValue:
            state = byte == lf ? .headerName(empty: true) : .stopped
        case .postHeaders:
            state = byte == lf ? .body : .stopped
        case .body:
            if byte == delimiter[0] { state = .boundary(match: 1) }
        case .boundary(let match):
            if match >= delimiter.count {
                state = byte == cr ? .preHeaders(sawCR: true) : byte == hyphen ? .epilogue : .stopped
            } else if byte == delimiter[match] {
                state = .boundary(match: match + 1)
            } else {
                state = byte == delimiter[0] ? .boundary(match: 1) : .body
            }
        case .epilogue, .stopped:
            break
        }
    }

    /// RFC 822's token characters, the parser's table below 0x80: no controls, space or tspecials.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        (33...126).contains(byte) && !#"()<>@,;:\"/[]?={}"#.utf8.contains(byte)
    }
}
