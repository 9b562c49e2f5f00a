import Fluent
import FluentPostgresDriver
import FluentSQL
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

extension Application {
    /// Connects the database that the settings choose. The same migrations run on both engines.
    func useDatabase(_ choice: Settings.DatabaseChoice) throws {
        switch choice {
        case .sqliteFile(let path):
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            self.databases.use(.sqlite(.file(path)), as: .sqlite)
        case .sqliteMemory:
            self.databases.use(.sqlite(.memory), as: .sqlite)
        case .postgres(let url):
            do {
                // Four connections an event loop (a core): deadline day's writers wait on the database's locks, not on
                // the pool, which the driver would otherwise keep to one.
                self.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 4), as: .psql)
            } catch {
                throw SettingsError("DATABASE_URL 无法解析（应为 postgres://用户:密码@主机:端口/数据库）: \(error)")
            }
        }
    }
}

extension Database {
    /// The database as SQL: both kinds Kaohe runs on speak it, and the tree's walks and the boards' narrow reads
    /// are written in it.
    var sql: any SQLDatabase {
        guard let sql = self as? any SQLDatabase else { preconditionFailure("Kaohe's databases are SQL databases") }
        return sql
    }
}

extension Database {
    /// A model's rows by a hand-written SELECT of its table's columns (`SELECT * FROM …`), decoded as Fluent decodes
    /// them. For the reads every request makes (the caller, the sheet, its document): Fluent's query builder quotes
    /// and escapes every column anew for each query, and that cost more than the database on a sheet's read.
    func rows<M: Model>(_ model: M.Type, _ query: SQLQueryString) async throws -> [M] {
        try await sql.raw(query).all(decodingFluent: M.self)
    }

    /// `text` found in `column` as Swift's `contains` finds it, case and all (LIKE would ignore case and need its
    /// wildcards escaped): a search of names and codes.
    func finds(_ text: String, in column: String) -> SQLQueryString {
        let position = sql.dialect.name == "postgresql" ? "strpos" : "instr"
        return "\(unsafeRaw: position)(\(unsafeRaw: column), \(bind: text)) > 0"
    }
}

extension Database {
    /// After a bulk load (`kaohe generate`, `kaohe restore`): PostgreSQL plans by statistics it gathers only when it
    /// analyzes a table, and until autovacuum gets to it (a minute or more later) it guessed a thousand branches as
    /// 23 rows and planned accordingly (a dashboard 7 ms a query, against 0.2). `VACUUM ANALYZE` gathers them and
    /// sets the visibility map that index-only scans need. SQLite's plans follow the queries' shapes and are left
    /// as they are.
    func refreshStatistics() async throws {
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("VACUUM ANALYZE").run()
    }
}

/// A configuration problem that stops the start with a message saying how to fix it.
public struct SettingsError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
