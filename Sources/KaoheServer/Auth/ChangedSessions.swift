import Fluent
import FluentSQL
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

    /// Read with a hand-written query of Fluent's sessions table, as every page read does, together with the user the
    /// session names (`UserSession.Authenticator` signs them in) and their roles in force: one round trip where there
    /// were three, as the bearer token's lookup does. A session whose data names no user, or not as a UUID, finds none.
    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        request.eventLoop.makeFutureWithTask {
            let sql = request.db.sql
            let named: SQLQueryString =
                sql.dialect.name == "postgresql"
                ? "CASE WHEN s.data->>'user' ~ '^[0-9A-Fa-f-]{36}$' THEN (s.data->>'user')::uuid END"
                : "CASE WHEN json_valid(s.data) THEN json_extract(s.data, '$.user') END"
            guard
                let row = try await sql.raw(
                    """
                    SELECT s.data AS session_data, u.*, \(Access.rolesColumn(of: SQLRaw("u.id"), on: sql))
                    FROM \(ident: SessionRecord.schema) s
                    LEFT JOIN \(ident: User.schema) u ON u.id = \(named)
                    WHERE s.key = \(bind: sessionID.string)
                    """
                ).first()
            else { return nil }
            let data = try row.decode(column: "session_data", as: SessionData.self)
            request.storage[AsRead.self] = data
            if try !row.decodeNil(column: "id") {
                let user = try row.decode(fluentModel: User.self)
                try Access.readRoles(of: user, from: row)
                request.storage[UserSession.Named.self] = user
            }
            return data
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID>
    {
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
