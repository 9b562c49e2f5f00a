import Foundation
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// Where one server process receives its uploads: `incoming/<id>/` under the data directory, held by an exclusive
/// lock on its `.lock` for as long as the process lives. A process that starts (a second server on the same data,
/// or any `kaohe` command beside the server: the nightly `backup`, `audit verify`, `migrate`) removes only the
/// areas whose lock it can take, which the system frees when their owner ends, crash or not: the uploads in flight
/// of a live server are never touched, and a crash's partial files go at the next start.
final class IncomingArea: Sendable {
    let directory: URL
    private let lock: Int32

    private init(root: URL) throws {
        directory = root.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        lock = open(directory.appendingPathComponent(".lock").path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            throw Abort(.internalServerError, reason: "无法锁定上传暂存目录 (cannot lock \(directory.path))")
        }
    }

    /// The area's files go with the server that received them.
    fileprivate func release() {
        try? FileManager.default.removeItem(at: directory)
        close(lock)
    }

    static func root(_ settings: Settings) -> URL {
        URL(fileURLWithPath: settings.dataDirectory).appendingPathComponent("incoming")
    }

    /// Removes what processes that have ended left under `incoming/`: an area whose lock is free, and anything
    /// else there (the layout before areas) untouched for an hour.
    static func clearAbandoned(_ settings: Settings) {
        let fileManager = FileManager.default
        let root = root(settings)
        guard let entries = try? fileManager.contentsOfDirectory(at: root, includingPropertiesForKeys: nil) else {
            return
        }
        for entry in entries {
            let lockPath = entry.appendingPathComponent(".lock").path
            if fileManager.fileExists(atPath: lockPath) {
                let descriptor = open(lockPath, O_RDWR | O_CLOEXEC)
                guard descriptor >= 0 else { continue }
                defer { close(descriptor) }
                // Taken: its owner has ended. Held: a live process is receiving there.
                if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { try? fileManager.removeItem(at: entry) }
            } else {
                let modified = (try? fileManager.attributesOfItem(atPath: entry.path))?[.modificationDate] as? Date
                if let modified, modified < Date().addingTimeInterval(-3600) { try? fileManager.removeItem(at: entry) }
            }
        }
    }

    private struct Key: StorageKey, LockKey { typealias Value = IncomingArea }

    /// This process's area, made at its first upload (a command that receives none never makes one).
    static func of(_ app: Application) throws -> IncomingArea {
        try app.locks.lock(for: Key.self).withLock {
            if let area = app.storage[Key.self] { return area }
            let area = try IncomingArea(root: root(app.kaoheSettings))
            app.storage.set(Key.self, to: area, onShutdown: { $0.release() })
            return area
        }
    }
}
