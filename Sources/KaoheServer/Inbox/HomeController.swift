import Vapor

struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.home, use: home)
    }

    func home(req: Request) async throws -> View {
        let user = try req.auth.require(User.self)
        return try await req.view.render("home", HomePage.query(for: user, on: req))
    }
}
