import Fluent
import Leaf
import LeafKit
import Vapor

/// Builds the whole application from typed settings, so tests build it the same way with another database.
/// Migrations and the first-start bootstrap are separate steps (`prepare`), run by `kaohe serve`,
/// `kaohe migrate` and the tests.
public func configure(_ app: Application, settings: Settings) async throws {
    app.kaoheSettings = settings
    try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
    IncomingArea.clearAbandoned(settings)  // uploads a crash cut off (none acknowledged); never a live server's
    try app.useDatabase(settings.database)
    try await WriteTransaction.prepareSQLite(app)
    app.passwords.use(.bcrypt(cost: settings.bcryptCost))
    // A connection silent this long (a slow client dribbling headers or a body) is closed; a reverse proxy's
    // own header and body timeouts come first in production (运维手册).
    app.http.server.configuration.idleTimeout = .seconds(30)

    app.sessions.use { app in ChangedSessions(stored: app.fluent.sessions.driver()) }
    // Vapor's default session cookie is neither HttpOnly nor Secure: set both here, with SameSite=Lax. Max-Age
    // rather than Expires: the same lifetime, without formatting a date on every response.
    app.sessions.configuration = SessionsConfiguration(cookieName: "kaohe_session") { id in
        HTTPCookies.Value(
            string: id.string,
            maxAge: Int(settings.sessionLifetime),
            path: "/",
            isSecure: settings.secureCookies,
            isHTTPOnly: true,
            sameSite: .lax
        )
    }

    let resources = KaoheResources.directory
    let views = resources + "Views/"
    app.directory.viewsDirectory = views
    // The resource bundle sits under `.build/` in development; Leaf's default limits refuse hidden
    // directories, so keep the sandbox but allow them.
    app.leaf.sources = .singleSource(
        NIOLeafFiles(
            fileio: app.fileio, limits: [.toSandbox, .onlyLeafExtensions], sandboxDirectory: views, viewDirectory: views
        ))
    app.views.use(.leaf)
    app.leaf.tags["url"] = SiteURLTag()
    app.leaf.tags["limit"] = TextLimitTag()

    try InputGuard.install()
    app.middleware = Middlewares()
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(KaoheErrorMiddleware())
    app.middleware.use(PathGuardMiddleware())
    app.middleware.use(MethodNotAllowedMiddleware(routes: app.routes))
    app.middleware.use(PublicFilesMiddleware(files: FileMiddleware(publicDirectory: resources + "Public/")))

    app.registerMigrations()
    try routes(app)
}

/// Runs pending migrations, then makes sure someone can sign in: the first admin on a real start,
/// the demo bureau with `--demo`.
public func prepare(_ app: Application) async throws {
    try await app.autoMigrate()
    // A sheet's kept reading is the count of the code that kept it: after an upgrade every one is counted anew.
    try await app.db.writeTransaction { try await LedgerEpoch.advanceBureau(on: $0) }
    try await Bootstrap.run(app)
}

enum KaoheResources {
    /// Views and public files travel with the binary as a SwiftPM resource bundle.
    static var directory: String {
        guard let url = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            fatalError("Kaohe's resource bundle is missing next to the executable")
        }
        return url.path + "/"
    }
}
