import Fluent
import Foundation
import KaoheCore
import SQLKit
import Testing
import VaporTesting

@testable import KaoheServer

/// Every server test runs inside this one serialized suite: on PostgreSQL the tests share one database,
/// which each test empties before it migrates.
@Suite(.serialized) struct ServerTests {}

/// One application per test, configured exactly as `kaohe serve` configures it, on SQLite in memory
/// or on the PostgreSQL that `DATABASE_URL` names.
/// The first working day after 2026: a test that runs the whole year through (Q4 published, the year decided)
/// lives on it, since a quarter is published only once it has ended.
let afterTheYear = CalendarDay("2027-01-20")!

/// - Parameter today: the day the test lives on (`BureauCalendar.fixed`); the real day when nil.
func withKaohe(
    _ adjust: (inout Settings) -> Void = { _ in },
    bootstrap: Bool = false,
    today: CalendarDay? = nil,
    _ test: (Application) async throws -> Void
) async throws {
    guard let today else { return try await runKaohe(adjust, bootstrap: bootstrap, test) }
    try await BureauCalendar.$fixed.withValue(today) { try await runKaohe(adjust, bootstrap: bootstrap, test) }
}

private func runKaohe(
    _ adjust: (inout Settings) -> Void, bootstrap: Bool, _ test: (Application) async throws -> Void
) async throws {
    var settings = Settings.testing(rubricsDirectory: shippedRubrics)
    adjust(&settings)
    let app = try await Application.make(.testing)
    app.logger.logLevel = ProcessInfo.processInfo.environment["KAOHE_TEST_LOG"] == "1" ? .debug : .warning
    do {
        try await configure(app, settings: settings)
        if case .postgres = settings.database {
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.raw("DROP SCHEMA IF EXISTS public CASCADE").run()
            try await sql.raw("CREATE SCHEMA public").run()
        }
        if bootstrap {
            try await prepare(app)
        } else {
            try await app.autoMigrate()
        }
        try await test(app)
    } catch {
        try? await app.asyncShutdown()
        throw error
    }
    try await app.asyncShutdown()
}

/// A user with one role, for tests that need somebody to sign in.
@discardableResult
func makeUser(
    _ app: Application, username: String = "zhibu1", password: String = "secret-pass-2026",
    role: String = "branchSecretary",
    unit: String = "branch-1", displayName: String = "张一"
) async throws -> String {
    try await ensureUnit(unit, on: app.db)
    try await Accounts.create(
        username: username, displayName: displayName, password: password, roles: [(role, unit)], actor: "test", on: app)
    return username
}

/// The unit a test's role is held on, with its parents, written straight to the table (no audit event), so tests
/// without the demo bureau can still grant roles, which must sit on a unit of the right kind.
func ensureUnit(_ code: String, on db: any Database) async throws {
    guard try await KaoheServer.Unit.query(on: db).filter(\.$code == code).count() == 0 else { return }
    let parts = code.split(separator: "-").map(String.init)
    let (kind, parent): (KaoheServer.Unit.Kind, String?) =
        switch parts.count {
        case 1: (.general, nil)
        case 2: (.branch, "general")
        case 4: (.group, parts[0...1].joined(separator: "-"))
        default: (.member, parts[0...3].joined(separator: "-"))
        }
    if let parent { try await ensureUnit(parent, on: db) }
    try await KaoheServer.Unit(code: code, name: code, kind: kind, parentCode: parent).create(on: db)
}

/// The repository's `rubrics/`, found from this file's path so tests run from any directory.
let shippedRubrics: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("rubrics").path

/// Moves a period's branch deadlines (the demo's fall a week after its first start): a test of what happens
/// after a deadline sets one in the past.
func setDeadlines(of code: String, selfReport: String, panelReview: String, on db: any Database) async throws {
    let period = try #require(try await Period.query(on: db).filter(\.$code == code).first())
    period.selfDeadline = selfReport
    period.panelDeadline = panelReview
    try await period.save(on: db)
}
