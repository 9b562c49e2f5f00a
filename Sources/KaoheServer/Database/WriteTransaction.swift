import Fluent
import FluentSQL
import PostgresNIO
import SQLiteNIO
import Vapor

/// Every change Kaohe makes runs in one of these, so that on deadline day, when every secretary saves at once,
/// no writer sees an error on either database.
///
/// - SQLite (the embedded default) runs in WAL mode: readers never wait for the writer. Writers queue in one
///   in-process gate, so the database sees one writer at a time, and each transaction takes the write lock up
///   front (`BEGIN IMMEDIATE`): a transaction that read first and then found another writer ahead of it would fail
///   with "database is locked", which a busy handler cannot wait out. `synchronous=FULL` syncs the WAL at every
///   commit, so an acknowledged save survives a power cut, not only a crash (NORMAL would survive a crash only);
///   at a bureau's write rates the fsync costs nothing people notice. `busy_timeout` waits for another process
///   (a backup, `kaohe user create`) instead of failing.
/// - PostgreSQL: an ordinary transaction; a sheet is held by the UPDATE that moves it or raises its version, and the
///   audit chain by its tail's row (`SELECT … FOR UPDATE`, `AuditLog`).
/// - Both: a transient conflict (SQLite busy, PostgreSQL serialization failure or deadlock) is retried a
///   bounded number of times, the whole body again, so nothing half-done is kept. So is a unique key another
///   writer inserted at the same moment (PostgreSQL: two first ratings of a unit, the same file uploaded twice):
///   run again, the body reads the other's row and takes the path it would have taken a moment later (update it,
///   reuse it, or refuse as a duplicate).
enum WriteTransaction {
    /// Inside a write transaction, nested calls join it instead of opening another.
    @TaskLocal static var isInside = false

    /// One writer at a time per process on SQLite.
    static let sqliteGate = AsyncGate()

    static let attempts = 6
    /// Rows of an import written in one transaction (`writeInBatches`): a few hundred milliseconds of the writer.
    static let batchSize = 200
    static let busyTimeoutMilliseconds = 10_000

    /// Applied at start. WAL is a property of the file and stays set; `busy_timeout` and `synchronous` are a
    /// connection's, and the SQLite driver keeps exactly one connection per event loop for the life of the process:
    /// each is set once here rather than at every write (two round trips of every save). Should a connection ever
    /// be opened anew, it syncs FULL all the same (SQLite's default) and its driver's busy handler waits without
    /// limit instead of 10 s: a write would wait, never fail.
    static func prepareSQLite(_ app: Application) async throws {
        guard let sql = app.db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return }
        try await sql.raw("PRAGMA journal_mode = WAL").run()
        for loop in app.eventLoopGroup.makeIterator() {
            guard let db = app.databases.database(logger: app.logger, on: loop) else { continue }
            try await db.withConnection { connection in
                try await connection.sql.raw("PRAGMA busy_timeout = \(unsafeRaw: String(busyTimeoutMilliseconds))")
                    .run()
                try await connection.sql.raw("PRAGMA synchronous = FULL").run()
                try await connection.sql.raw("PRAGMA cache_size = -32768").run()
            }
        }
    }

    /// A row another writer inserted first under the same unique key (PostgreSQL's unique_violation; SQLite's
    /// one writer at a time sees the row before it inserts): the caller says which conflict it is.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        if let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] { return state == "23505" }
        if let sqlite = error as? SQLiteError { return sqlite.reason == .constraintUniqueFailed }
        return false
    }

    static func isTransient(_ error: any Error) -> Bool {
        if let sqlite = error as? SQLiteError {
            switch sqlite.reason {
            case .busy, .locked, .busyTimeout, .busyInSnapshot, .busyInRecovery, .lockedBySharedCache: return true
            default: return false
            }
        }
        if let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] {
            // serialization_failure, deadlock_detected
            return state == "40001" || state == "40P01"
        }
        return false
    }
}

extension Database {
    /// Runs `body` as one write transaction (see `WriteTransaction`); nested calls join the outer one.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        if WriteTransaction.isInside { return try await body(self) }
        let isSQLite = (self as? any SQLDatabase)?.dialect.name == "sqlite"
        var attempt = 1
        while true {
            do {
                // The body runs with the flag set where it runs: a pool may start it from a callback, outside
                // this task, where task-locals set here would not reach.
                let joined: @Sendable (any Database) async throws -> T = { db in
                    try await WriteTransaction.$isInside.withValue(true) { try await body(db) }
                }
                return isSQLite ? try await sqliteWrite(joined) : try await transaction(joined)
            } catch
                where attempt < WriteTransaction.attempts
                && (WriteTransaction.isTransient(error) || WriteTransaction.isUniqueViolation(error))
            {
                logger.warning("写入冲突，重试 write conflict, retrying (\(attempt)): \(String(reflecting: error))")
                try await Task.sleep(for: .milliseconds(20 * (1 << attempt)))
                attempt += 1
            }
        }
    }

    /// Writes `items` a batch at a time, each batch its own write transaction, so that a long import lets the other
    /// writers in between its batches rather than holding the one writer for seconds (5,000 rows held SQLite's for
    /// 11.8 s). The caller has checked every item first; a fault in the middle keeps the batches before it, each
    /// whole with its audit events.
    func writeInBatches<Item: Sendable>(
        _ items: [Item], of size: Int = WriteTransaction.batchSize,
        _ body: @escaping @Sendable (any Database, ArraySlice<Item>) async throws -> Void
    ) async throws {
        for batch in items.chunked(into: size) {
            try await writeTransaction { db in try await body(db, batch) }
        }
    }

    private func sqliteWrite<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws
        -> T
    {
        try await WriteTransaction.sqliteGate.run {
            try await self.withConnection { connection in
                let sql = connection.sql
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    let result = try await body(connection)
                    try await sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }
}

/// A first-come, first-served limit on how many run at once, for async code: waiters suspend instead of blocking
/// a thread. With `maxWaiting`, a caller beyond the queue is refused at once (`Full`) rather than left to pile up.
actor AsyncGate {
    struct Full: Error {}

    private let permits: Int
    private let maxWaiting: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Those that may not be refused, let in before `waiters`.
    private var firstWaiters: [CheckedContinuation<Void, Never>] = []

    init(permits: Int = 1, maxWaiting: Int = .max) {
        self.permits = permits
        self.maxWaiting = maxWaiting
    }

    /// `refusable: false` waits however long the queue, first in line after those already let in.
    func run<T: Sendable>(refusable: Bool = true, _ body: @Sendable () async throws -> T) async throws -> T {
        try await enter(refusable: refusable)
        defer { leave() }
        return try await body()
    }

    private func enter(refusable: Bool) async throws {
        if running < permits {
            running += 1
            return
        }
        guard waiters.count < maxWaiting || !refusable else { throw Full() }
        // A permit is handed over by `leave`, so `running` stays counted for the waiter.
        await withCheckedContinuation { refusable ? waiters.append($0) : firstWaiters.append($0) }
    }

    private func leave() {
        if !firstWaiters.isEmpty {
            firstWaiters.removeFirst().resume()
        } else if !waiters.isEmpty {
            waiters.removeFirst().resume()
        } else {
            running -= 1
        }
    }
}
