import Logging
import NIOCore
import NIOPosix
import Vapor

/// How the `kaohe` executable starts the application; it owns the lifecycle so that an error
/// always shuts the application down cleanly.
public enum KaoheServerApp {
    /// Runs Swift concurrency on NIO's event loops, as Vapor's own template offers: a handler's every query then
    /// resumes on the loop that answered it, instead of hopping to a thread of the concurrency pool and back (the
    /// hops were most of a single request's time). Call it first thing in `main`, before anything else is async.
    @discardableResult
    public static func runConcurrencyOnEventLoops() -> Bool {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// `kaohe serve`: migrate, bootstrap, then serve until interrupted.
    public static func serve(settings: Settings, hostname: String, port: Int) async throws {
        try await withApplication(
            settings: settings, arguments: ["serve", "--hostname", hostname, "--port", String(port)]
        ) { app in
            try await prepare(app)
            Maintenance.schedule(app)
            app.logger.notice(
                "考核系统已启动 Kaohe is serving: http://\(hostname):\(port)  数据目录 data: \(settings.dataDirectory)")
            try await app.execute()
        }
    }

    /// Runs `body` with a configured application that serves nothing (migrate, user management).
    public static func withApplication(
        settings: Settings, arguments: [String] = [], _ body: (Application) async throws -> Void
    ) async throws {
        var environment = Environment(
            name: ProcessInfo.processInfo.environment["KAOHE_ENV"] ?? Environment.production.name,
            arguments: ["kaohe"] + arguments)
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        do {
            try await configure(app, settings: settings)
            try await body(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
