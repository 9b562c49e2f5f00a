import Fluent
import KaoheCore
import Vapor

/// 年度评议与测评 in the browser: a branch's or group's members with their 民主评议 and 部门考核 results, the unit's
/// 满意率, and (a branch's) 内审 findings — each field open to whom `Policy.mayRecordFact` names, the rest read-only.
struct FactsPage: Encodable {
    struct Member: Encodable {
        let code: String
        let name: String
        let until: String?
        let midLevel: Bool
        let leadership: Bool
        let appraisal: [SelectOption]
        let review: [SelectOption]
        let error: String?
    }

    struct Finding: Encodable {
        let id: String
        let day: String
        let kind: String
        let note: String
    }

    /// What the forms held when they were refused, with the refusal beside its field.
    struct State {
        var notice: String? = nil
        var save: SaveForm? = nil
        var finding: FindingForm? = nil
        var errors: [String: String] = [:]
    }

    let chrome: PageChrome
    let unit: String
    let unitName: String
    let isBranch: Bool
    let year: Int
    let previousYear: Int
    let nextYear: Int?
    let notice: String?
    let mayAppraise: Bool
    let mayReview: Bool
    let mayRate: Bool
    let mayAudit: Bool
    let members: [Member]
    let rate: String
    let rateDay: String
    let rateNote: String
    let rateError: String?
    let threshold: String?
    let findings: [Finding]
    let findingKinds: [SelectOption]
    let findingDay: String
    let findingNote: String
    let findingErrors: [String: String]
    let ledger: String

    static func make(_ unit: Unit, year: Int, state: State, _ req: Request) async throws -> FactsPage {
        let user = try req.auth.require(User.self)
        let book = try await YearFacts.book(of: unit, year: year, on: req.db)
        let may = try await YearFacts.recordable(on: unit, by: user, on: req.db)
        let rubric = try await Ledger.rubric(for: unit, year: year, on: req.db)
        let today = BureauCalendar.today()
        let typed = state.save
        return FactsPage(
            chrome: try await PageChrome.make("年度评议与测评：\(unit.name)", req),
            unit: unit.code, unitName: unit.name, isBranch: unit.kind == .branch, year: year,
            previousYear: year - 1, nextYear: year < today.year ? year + 1 : nil, notice: state.notice,
            mayAppraise: may.contains(.appraisal), mayReview: may.contains(.review),
            mayRate: may.contains(.satisfaction),
            mayAudit: may.contains(.finding) && unit.kind == .branch,
            members: book.members.map { member in
                let appraisal = typed?.appraisals?[member.member] ?? member.appraisal?.rawValue ?? ""
                let review = typed?.reviews?[member.member] ?? member.review?.rawValue ?? ""
                return Member(
                    code: member.member, name: member.name, until: member.until, midLevel: member.midLevel,
                    leadership: member.leadership,
                    appraisal: options(AppraisalResult.allCases.map { ($0.rawValue, $0.label) }, selected: appraisal),
                    review: options(ReviewResult.allCases.map { ($0.rawValue, $0.label) }, selected: review),
                    error: state.errors["appraisals.\(member.member)"] ?? state.errors["reviews.\(member.member)"])
            },
            rate: typed?.rate ?? book.satisfaction?.rate ?? "", rateDay: typed?.rateDay ?? book.satisfaction?.day ?? "",
            rateNote: typed?.rateNote ?? book.satisfaction?.note ?? "",
            rateError: state.errors["satisfaction.rate"] ?? state.errors["satisfaction.day"]
                ?? state.errors["satisfaction.note"],
            threshold: rubric?.thresholds[rubric?.facts?.satisfactionThreshold ?? "satisfaction"].map { "\($0)" },
            findings: book.findings.map {
                Finding(id: $0.id.uuidString, day: $0.day, kind: $0.kindLabel, note: $0.note ?? "")
            },
            findingKinds: options(
                AuditFinding.allCases.map { ($0.rawValue, $0.label) }, selected: state.finding?.kind ?? "",
                blank: false),
            findingDay: state.finding?.day ?? today.description, findingNote: state.finding?.note ?? "",
            findingErrors: state.finding == nil ? [:] : state.errors,
            ledger: SiteURL.ledger(.init(unit.code)).path)
    }

    private static func options(_ choices: [(String, String)], selected: String, blank: Bool = true) -> [SelectOption] {
        (blank ? [SelectOption(value: "", label: "未登记", selected: selected.isEmpty)] : [])
            + choices.map { SelectOption(value: $0.0, label: $0.1, selected: $0.0 == selected) }
    }

    /// The save form: every member's two results, the rate, its day and note.
    struct SaveForm: Content {
        var appraisals: [String: String]?
        var reviews: [String: String]?
        var rate: String?
        var rateDay: String?
        var rateNote: String?

        /// What the form changes: a field left out (not offered to this user) stays as it is; one left blank clears.
        var changes: YearFacts.Changes {
            var changes = YearFacts.Changes(
                appraisals: (appraisals ?? [:]).mapValues { $0.isEmpty ? nil : $0 },
                reviews: (reviews ?? [:]).mapValues { $0.isEmpty ? nil : $0 })
            if let rate {
                let blank = rate.trimmingCharacters(in: .whitespaces).isEmpty
                changes.satisfaction = .some(blank ? nil : .init(rate: rate, day: rateDay, note: rateNote))
            }
            return changes
        }
    }

    struct FindingForm: Content {
        var kind: String?
        var day: String?
        var note: String?
    }
}

/// `GET /units/{unit}/facts?year=`, its save and the findings' forms.
struct FactsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.facts(.key), use: page)
        let facts = routes.grouped(SiteURL.facts(.key).pathComponents)
        facts.post(use: save)
        facts.post("findings", use: addFinding)
        facts.post("findings", ":id", "remove", use: removeFinding)
    }

    func page(req: Request) async throws -> View {
        let unit = try await LedgerRequest.readable(req)
        let notice: String? =
            switch req.query[String.self, at: "done"] {
            case "saved": "已保存。"
            case "finding": "已登记内审发现。"
            case "removed": "已删除这条内审发现，删除记入审计日志。"
            default: nil
            }
        return try await req.view.render(
            "facts", try await FactsPage.make(unit, year: try FactsRequest.year(req), state: .init(notice: notice), req)
        )
    }

    func save(req: Request) async throws -> Response {
        let unit = try await FactsRequest.recorder(req, of: [.appraisal, .review, .satisfaction])
        let year = try FactsRequest.year(req)
        let form = try req.content.decode(FactsPage.SaveForm.self)
        do {
            try await YearFacts.save(
                form.changes, on: unit, year: year, by: try req.auth.require(User.self),
                today: BureauCalendar.today(), on: req.db)
            return req.redirect(to: .facts(.init(unit.code)), query: ["year": "\(year)", "done": "saved"])
        } catch let problem as ValidationProblem {
            return try await refused(
                unit, year, .init(save: form, errors: [problem.field: PageFormat.message(problem.rule)]), req)
        }
    }

    func addFinding(req: Request) async throws -> Response {
        let unit = try await FactsRequest.recorder(req, of: [.finding])
        let year = try FactsRequest.year(req)
        let form = try req.content.decode(FactsPage.FindingForm.self)
        do {
            _ = try await YearFacts.addFinding(
                .init(day: form.day, kind: form.kind, note: form.note), on: unit, year: year,
                by: try req.auth.require(User.self), today: BureauCalendar.today(), on: req.db)
            return req.redirect(
                to: .facts(.init(unit.code)), query: ["year": "\(year)", "done": "finding"], fragment: "findings")
        } catch let problem as ValidationProblem {
            return try await refused(
                unit, year, .init(finding: form, errors: [problem.field: PageFormat.message(problem.rule)]), req)
        }
    }

    func removeFinding(req: Request) async throws -> Response {
        let unit = try await FactsRequest.recorder(req, of: [.finding])
        let year = try FactsRequest.year(req)
        try await YearFacts.removeFinding(
            req.parameters.get("id", as: UUID.self), on: unit, by: try req.auth.require(User.self), on: req.db)
        return req.redirect(
            to: .facts(.init(unit.code)), query: ["year": "\(year)", "done": "removed"], fragment: "findings")
    }

    private func refused(_ unit: Unit, _ year: Int, _ state: FactsPage.State, _ req: Request) async throws
        -> Response
    {
        let response = try await req.view.render("facts", try await FactsPage.make(unit, year: year, state: state, req))
            .encodeResponse(for: req)
        response.status = .unprocessableEntity
        return response
    }
}
