import Foundation
import Vapor

/// A re-imported org file kept between its preview and 确认导入, named by its SHA-256 so that the confirmation names
/// exactly the bytes previewed; kept a day at most.
struct OrgImportPreviews {
    let directory: URL

    init(_ app: Application) {
        directory = URL(fileURLWithPath: app.kaoheSettings.dataDirectory).appendingPathComponent("org-import")
    }

    static let lifetime: TimeInterval = 24 * 3600

    func keep(_ data: Data) throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        discardExpired()
        let token = EvidenceStore.sha256(data)
        try data.write(to: directory.appendingPathComponent(token), options: .atomic)
        return token
    }

    /// The bytes kept under `token`, if it names one (64 hex characters, nothing else reaches the disk).
    func read(_ token: String) -> Data? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        return FileManager.default.contents(atPath: directory.appendingPathComponent(token).path)
    }

    func discard(_ token: String) {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return }
        try? FileManager.default.removeItem(at: directory.appendingPathComponent(token))
    }

    private func discardExpired() {
        let files =
            (try? FileManager.default.contentsOfDirectory(
                at: directory, includingPropertiesForKeys: [.contentModificationDateKey])) ?? []
        for file in files {
            let modified = (try? file.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate
            if let modified, Date().timeIntervalSince(modified) > Self.lifetime {
                try? FileManager.default.removeItem(at: file)
            }
        }
    }
}
