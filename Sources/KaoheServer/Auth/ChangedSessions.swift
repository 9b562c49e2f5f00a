import Fluent
import SQLKit
import Vapor

/// The sessions in the database (so every instance behind a proxy shares them), written only when a request changed
/// them. Vapor's `SessionsMiddleware` saves a session after every response; with the database driver that is an
/// UPDATE for every page a person reads, a write that SQLite serializes with the secretaries' saves on deadline day.
/// What a request read is kept on it, and an unchanged session is not written back.
struct ChangedSessions: SessionDriver {
    let stored: any SessionDriver

    private struct AsRead: StorageKey {
        typealias Value = SessionData
    }

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        stored.createSession(data, for: request)
    }

    /// Read with a hand-written query of Fluent's sessions table, as every page read does.
    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        request.eventLoop.makeFutureWithTask {
            let data = try await request.db.sql.raw("""
                SELECT data FROM \(ident: SessionRecord.schema) WHERE key = \(bind: sessionID.string)
                """).first()?.decode(column: "data", as: SessionData.self)
            request.storage[AsRead.self] = data
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        if request.storage[AsRead.self] == data { return request.eventLoop.makeSucceededFuture(sessionID) }
        return stored.updateSession(sessionID, to: data, for: request).map { id in
            request.storage[AsRead.self] = data
            return id
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.storage[AsRead.self] = nil
        return stored.deleteSession(sessionID, for: request)
    }
}
