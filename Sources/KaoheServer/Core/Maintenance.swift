import Fluent
import Vapor

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
            let started = (record.data[UserSession.startedAtKey] ?? record.data["signedInAt"]).flatMap(TimeInterval.init)
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

    /// Purges at start and then every hour, until the application stops.
    static func schedule(_ app: Application) {
        let settings = app.kaoheSettings
        let eventLoop = app.eventLoopGroup.next()
        eventLoop.scheduleRepeatedAsyncTask(initialDelay: .seconds(10), delay: .hours(1)) { _ in
            eventLoop.makeFutureWithTask {
                do {
                    let purged = try await purge(on: app.db, settings: settings)
                    app.logger.info("清理 purged: \(purged.sessions) sessions, \(purged.failures) failures, \(purged.tokens) tokens")
                } catch {
                    app.logger.warning("清理失败 purge failed: \(String(reflecting: error))")
                }
            }
        }
    }
}
