import Fluent
import KaoheCore
import Vapor

/// 年度评选 (办法 七(二)) as `contracts/api.md` ("The year") fixes it: the ratings, the selection and the decision.
struct YearAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let year = routes.grouped("years", ":year")
        year.put("evaluations", "self", use: setSelf)
        year.put("evaluations", "peer", use: setPeer)
        year.put("evaluations", "panel", use: setPanel)
        year.get("selection", use: selection)
        year.post("decision", use: decide)
    }

    typealias Score = AmountText

    struct SelfBody: Content {
        let unit: String
        let score: Score
    }

    struct PeerBody: Content {
        let unit: String
        let ratings: [String: Score]
    }

    struct PanelBody: Content {
        let ratings: [String: Score]
    }

    struct DecisionBody: Content {
        let level: String?
        let awards: [String]
        let reason: String?
    }

    func setSelf(req: Request) async throws -> Selection.Document {
        let (year, user) = try YearRequest.year(req)
        let body = try req.content.decode(SelfBody.self)
        try await Evaluations.setSelf(year: year, unit: body.unit, score: body.score.text, by: user, on: req.db)
        return try await Selection.document(
            year: year, level: try await Evaluations.unit(body.unit, field: "unit", on: req.db).kind, on: req.db)
    }

    func setPeer(req: Request) async throws -> Selection.Document {
        let (year, user) = try YearRequest.year(req)
        let body = try req.content.decode(PeerBody.self)
        try await Evaluations.setPeer(
            year: year, rater: body.unit, ratings: body.ratings.map { ($0.key, $0.value.text) }, by: user, on: req.db)
        return try await Selection.document(
            year: year, level: try await Evaluations.unit(body.unit, field: "unit", on: req.db).kind, on: req.db)
    }

    func setPanel(req: Request) async throws -> Selection.Document {
        let (year, user) = try YearRequest.year(req)
        let body = try req.content.decode(PanelBody.self)
        try await Evaluations.setPanel(
            year: year, ratings: body.ratings.map { ($0.key, $0.value.text) }, by: user, on: req.db)
        // The selection of the level rated (the first unit's, when the ratings span levels).
        var level = Unit.Kind.branch
        if let first = body.ratings.keys.sorted().first {
            level = try await Evaluations.unit(first, field: "ratings", on: req.db).kind
        }
        return try await Selection.document(year: year, level: level, on: req.db)
    }

    func selection(req: Request) async throws -> Selection.Document {
        let (year, user) = try YearRequest.year(req)
        try await Policy.requireGeneralBranch(
            user, on: req.db, "年度评选由党总支查看 (the general branch's roles read the selection)")
        return try await Selection.document(
            year: year, level: try Selection.level(req.query[String.self, at: "level"]), on: req.db)
    }

    func decide(req: Request) async throws -> Selection.Document {
        let (year, user) = try YearRequest.year(req)
        let body = try req.content.decode(DecisionBody.self)
        return try await Evaluations.decide(
            year: year, level: try Selection.level(body.level), awards: body.awards, reason: body.reason,
            by: user, today: BureauCalendar.today(), on: req.db)
    }

}
