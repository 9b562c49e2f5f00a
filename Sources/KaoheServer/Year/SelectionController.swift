import Fluent
import KaoheCore
import Vapor

/// 年度评选 and 荣誉证书 in the browser. Every check is `Evaluations`'s and every number `Selection`'s, as in the API.
struct SelectionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let year = routes.grouped("years", ":year")
        routes.get(.selection(.key), use: page)
        year.post("selection", "self", use: setSelf)
        year.post("selection", "peer", use: setPeer)
        year.post("selection", "panel", use: setPanel)
        year.post("selection", "decision", use: decide)
        routes.get(.certificates(.key), use: certificates)
        routes.get(.certificate(.key, unit: .key), use: certificate)
    }

    func page(req: Request) async throws -> View {
        let (year, _) = try YearRequest.year(req)
        let level = try Selection.level(req.query[String.self, at: "level"])
        let done = req.query[String.self, at: "done"].map { $0 == "decision" ? "已记录党总支综合评定。" : "评分已保存。" }
        return try await req.view.render(
            "selection", SelectionPage.query(year: year, level: level, on: req, state: .init(notice: done)))
    }

    struct RatingsForm: Content {
        var unit: String?
        var score: String?
        var ratings: [String: String]?
        var level: String?
        var awards: [String]?
        var reason: String?
    }

    func setSelf(req: Request) async throws -> Response {
        let (year, user) = try YearRequest.year(req)
        let form = try req.content.decode(RatingsForm.self)
        let unit = form.unit ?? ""
        return try await respond(
            req, year: year, level: try Selection.level(form.level), typed: ["self.\(unit)": form.score ?? ""],
            errorKey: { _ in "self.\(unit)" }
        ) {
            try await Evaluations.setSelf(year: year, unit: unit, score: form.score ?? "", by: user, on: req.db)
        }
    }

    func setPeer(req: Request) async throws -> Response {
        let (year, user) = try YearRequest.year(req)
        let form = try req.content.decode(RatingsForm.self)
        let unit = form.unit ?? ""
        // A box left empty is not a rating.
        let ratings = (form.ratings ?? [:]).filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        let typed = Dictionary(uniqueKeysWithValues: ratings.map { ("peer.\(unit).\($0.key)", $0.value) })
        return try await respond(
            req, year: year, level: try Selection.level(form.level), typed: typed, errorKey: { $0 }
        ) {
            try await Evaluations.setPeer(
                year: year, rater: unit, ratings: ratings.map { ($0.key, $0.value) }, by: user, on: req.db)
        }
    }

    func setPanel(req: Request) async throws -> Response {
        let (year, user) = try YearRequest.year(req)
        let form = try req.content.decode(RatingsForm.self)
        let ratings = (form.ratings ?? [:]).filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        let typed = Dictionary(uniqueKeysWithValues: ratings.map { ("panel.\($0.key)", $0.value) })
        let level = try Selection.level(form.level)
        return try await respond(
            req, year: year, level: level, typed: typed,
            errorKey: { $0.replacingOccurrences(of: "ratings.", with: "panel.") }
        ) {
            try await Evaluations.setPanel(
                year: year, ratings: ratings.map { ($0.key, $0.value) }, by: user, on: req.db)
        }
    }

    func decide(req: Request) async throws -> Response {
        let (year, user) = try YearRequest.year(req)
        let form = try req.content.decode(RatingsForm.self)
        let level = try Selection.level(form.level)
        do {
            _ = try await Evaluations.decide(
                year: year, level: level, awards: form.awards ?? [], reason: form.reason, by: user,
                today: BureauCalendar.today(), on: req.db)
            return req.redirect(
                to: .selection(.init(year)), query: ["level": level.rawValue, "done": "decision"], fragment: "decision")
        } catch let problem as ValidationProblem {
            let state = SelectionPage.State(
                errors: ["decision.\(problem.field)": PageFormat.message(problem.rule)],
                chosen: form.awards ?? [], reason: form.reason)
            return try await render(req, year: year, level: level, state: state)
        }
    }

    /// Runs one rating change; a refusal comes back to the page with the message beside its box and the input kept.
    private func respond(
        _ req: Request, year: Int, level: Unit.Kind, typed: [String: String],
        errorKey: (String) -> String, _ change: () async throws -> Void
    ) async throws -> Response {
        do {
            try await change()
            return req.redirect(to: .selection(.init(year)), query: ["level": level.rawValue, "done": "rating"])
        } catch let problem as ValidationProblem {
            return try await render(
                req, year: year, level: level,
                state: .init(errors: [errorKey(problem.field): PageFormat.message(problem.rule)], typed: typed))
        } catch let abort as AbortError where abort.status == .conflict {
            // Decided meanwhile: the page as it now stands (its rating forms gone), saying why nothing was saved.
            return try await render(
                req, year: year, level: level,
                state: .init(problem: "评分未保存：\(PageFormat.message(abort.reason))"), status: .conflict)
        }
    }

    private func render(
        _ req: Request, year: Int, level: Unit.Kind, state: SelectionPage.State,
        status: HTTPStatus = .unprocessableEntity
    ) async throws -> Response {
        let response = try await req.view.render(
            "selection", SelectionPage.query(year: year, level: level, on: req, state: state)
        )
        .encodeResponse(for: req)
        response.status = status
        return response
    }

    // MARK: 荣誉证书

    /// One unit's certificate; `…/certificates/branch-1.docx` is the same certificate as Word (`CertificatePaper`).
    func certificate(req: Request) async throws -> Response {
        if req.parameters.get("unit")?.hasSuffix(".docx") == true {
            return try await CertificatePaper.download(req: req)
        }
        let (year, _) = try YearRequest.year(req)
        let awards = try await CertificatesPage.awards(year: year, on: req.db).filter {
            $0.unit == req.parameters.get("unit")
        }
        guard !awards.isEmpty else { throw Abort(.notFound, reason: "该单位 \(year) 年未获评先进") }
        return try await req.view.render("certificates", CertificatesPage(year: year, certificates: awards, on: req.db))
            .encodeResponse(for: req)
    }

    /// Every certificate of the year in one print, for the general branch.
    func certificates(req: Request) async throws -> View {
        let (year, user) = try YearRequest.year(req)
        try await Policy.requireGeneralBranch(user, on: req.db, "荣誉证书由党总支打印")
        let awards = try await CertificatesPage.awards(year: year, on: req.db)
        guard !awards.isEmpty else { throw Abort(.notFound, reason: "\(year) 年尚未综合评定") }
        return try await req.view.render("certificates", CertificatesPage(year: year, certificates: awards, on: req.db))
    }
}
