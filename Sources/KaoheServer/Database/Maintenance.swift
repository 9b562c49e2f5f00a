import Fluent
import NIOCore
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

/// Housekeeping while serving: what only grows unless someone removes it.
enum Maintenance {
    /// Sign-in failures older than this no longer count for anything.
    static let failureRetention: TimeInterval = 24 * 3600

    struct Purged: Equatable {
        var sessions = 0
        var failures = 0
        var tokens = 0
    }

    /// Removes ended sessions (older than the session lifetime, signed in or not), expired API tokens and old
    /// sign-in failures.
    @discardableResult
    static func purge(on db: any Database, settings: Settings, now: Date = Date()) async throws -> Purged {
        var purged = Purged()
        let oldestSession = now.timeIntervalSince1970 - settings.sessionLifetime
        let ended = try await SessionRecord.query(on: db).all().filter { record in
            let started = (record.data[UserSession.startedAtKey] ?? record.data["signedInAt"]).flatMap(
                TimeInterval.init)
            return (started ?? 0) < oldestSession
        }
        if !ended.isEmpty {
            try await SessionRecord.query(on: db).filter(\.$id ~~ ended.compactMap(\.id)).delete()
        }
        purged.sessions = ended.count
        let failures = SignInFailure.query(on: db).filter(\.$failedAt < now.addingTimeInterval(-failureRetention))
        purged.failures = try await failures.count()
        try await failures.delete()
        let tokens = UserToken.query(on: db).filter(\.$expiresAt < now)
        purged.tokens = try await tokens.count()
        try await tokens.delete()
        return purged
    }

    /// How often memory freed by finished requests is handed back to the system.
    static let memoryReturnInterval: TimeAmount = .seconds(2)

    /// Gives the system back the heap that finished requests freed. glibc keeps freed memory in each thread's arena
    /// for reuse, so a server that once answered 32 results pages at a time kept 230 MB it no longer used.
    static func returnFreedMemory() {
        #if canImport(Glibc)
            // glibc's malloc_trim (malloc.h, which Swift's Glibc module leaves out), looked up once.
            _ = mallocTrim?(0)
        #endif
    }

    #if canImport(Glibc)
        private typealias MallocTrim = @convention(c) (Int) -> Int32
        nonisolated(unsafe) private static let mallocTrim: MallocTrim? = dlsym(
            UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim"
        )
        .map { unsafeBitCast($0, to: MallocTrim.self) }
    #endif

    /// How often the kept readings are brought up to the day (`Compliance.keepReadings`).
    static let readingsInterval: TimeAmount = .minutes(10)

    /// Purges at start and then every hour, keeps the day's readings at start and every ten minutes, and returns
    /// freed memory every few seconds, until the application stops.
    static func schedule(_ app: Application) {
        app.eventLoopGroup.next().scheduleRepeatedTask(initialDelay: memoryReturnInterval, delay: memoryReturnInterval)
        { _ in
            returnFreedMemory()
        }
        let settings = app.kaoheSettings
        let eventLoop = app.eventLoopGroup.next()
        eventLoop.scheduleRepeatedAsyncTask(initialDelay: .seconds(10), delay: .hours(1)) { _ in
            eventLoop.makeFutureWithTask {
                do {
                    let purged = try await purge(on: app.db, settings: settings)
                    app.logger.info(
                        "清理 purged: \(purged.sessions) sessions, \(purged.failures) failures, \(purged.tokens) tokens")
                } catch {
                    app.logger.warning("清理失败 purge failed: \(String(reflecting: error))")
                }
            }
        }
        eventLoop.scheduleRepeatedAsyncTask(initialDelay: .seconds(1), delay: readingsInterval) { _ in
            eventLoop.makeFutureWithTask {
                // `app.db` traps once the application has shut its databases down; this asks, and stops.
                guard let db = app.databases.database(logger: app.logger, on: eventLoop) else { return }
                do {
                    let counted = try await Compliance.keepReadings(today: BureauCalendar.today(), on: db)
                    if counted > 0 { app.logger.info("台账读数 kept readings counted: \(counted)") }
                } catch {
                    app.logger.warning("台账读数失败 kept readings not counted: \(String(reflecting: error))")
                }
            }
        }
    }
}
