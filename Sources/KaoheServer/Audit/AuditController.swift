import Vapor

/// 审计日志 for the admin and the organizer.
struct AuditController: RouteCollection {

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.audit, use: list)
    }

    func list(req: Request) async throws -> View {
        let filters = try req.query.decode(AuditPage.Filters.self)
        return try await req.view.render("audit", AuditPage.query(filters, on: req))
    }
}
