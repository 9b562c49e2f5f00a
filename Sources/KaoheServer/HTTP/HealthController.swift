import Fluent
import Vapor

/// `GET /healthz`: 200 once the database answers, 503 while it does not.
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("healthz", use: health)
    }

    struct Health: Content {
        let status: String
    }

    func health(req: Request) async throws -> Health {
        do {
            _ = try await User.query(on: req.db).count()
        } catch {
            req.logger.warning("health check: database did not answer: \(error)")
            throw Abort(.serviceUnavailable, reason: "数据库无响应 (database unavailable)")
        }
        return Health(status: "ok")
    }
}
