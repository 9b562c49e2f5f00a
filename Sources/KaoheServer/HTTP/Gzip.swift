import Foundation
import Vapor
import ZIPFoundation

/// A body compressed once and sent many times: the published results of a thousand branches are 650 KB of JSON
/// and about a tenth of that as gzip, which every browser and HTTP library accepts (RFC 1952: a ten-byte header,
/// the raw deflate ZIPFoundation writes, then the CRC-32 and the length).
enum Gzip {
    static func compress(_ data: Data) throws -> Data {
        var deflated = Data()
        let crc = try Data.compress(
            size: Int64(data.count), bufferSize: 64 * 1024,
            provider: { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }, consumer: { deflated.append($0) })
        var gzip = Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03])
        gzip.append(deflated)
        withUnsafeBytes(of: crc.littleEndian) { gzip.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: data.count).littleEndian) { gzip.append(contentsOf: $0) }
        return gzip
    }

    /// Whether the client takes gzip (`Accept-Encoding: gzip, deflate, br`), and not with `q=0`.
    static func isAccepted(by request: Request) -> Bool {
        request.headers[.acceptEncoding].flatMap { $0.split(separator: ",") }.contains { coding in
            let parts = coding.split(separator: ";").map { $0.replacingOccurrences(of: " ", with: "").lowercased() }
            guard parts.first == "gzip" || parts.first == "*" else { return false }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) }
            return (weight ?? 1) > 0
        }
    }
}
