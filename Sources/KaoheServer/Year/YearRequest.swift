import Vapor

/// `/years/{year}`: the year in the path (404 outside 2000–2100) and the signed-in user, for the API and the pages.
enum YearRequest {
    static func year(_ req: Request) throws -> (Int, User) {
        let user = try req.auth.require(User.self)
        guard let year = req.parameters.get("year", as: Int.self), (2000...2100).contains(year) else {
            throw Abort(.notFound, reason: "没有这一年")
        }
        return (year, user)
    }
}
