import Fluent
import KaoheCore
import Vapor

/// 年度评选: the year's quarters of every unit of a level, the forms of 自评, 互评 and 考评 for those who rate, the
/// composite and rank for the general branch, the proposal and the approver's 综合评定, and the certificates.
struct SelectionPage: Encodable {
    struct Row: Encodable {
        let unit: String
        let name: String
        let quarters: [String]
        let yearly: String
        let bonus: String
        let selfRating: String
        let peer: String
        let panel: String
        let composite: String
        let rank: String
        let vetoed: Bool
        let proposed: Bool
        let awarded: Bool
        /// For the decision form: checked when proposed (or awarded, once decided), or as posted.
        let chosen: Bool
    }

    /// A level the viewer may read, offered as a tab.
    struct Tab: Encodable {
        let label: String
        let current: Bool
        let href: String
    }

    struct RatingInput: Encodable {
        let unit: String
        let name: String
        let value: String
        let error: String?
    }

    /// One unit the viewer rates for: its 自评 box and its 互评 boxes for the others.
    struct RaterForm: Encodable {
        let unit: String
        let name: String
        let selfValue: String
        let selfError: String?
        let peers: [RatingInput]
    }

    struct State {
        var notice: String?
        /// A refusal of the whole save (the year decided meanwhile).
        var problem: String?
        var errors: [String: String] = [:]
        var typed: [String: String] = [:]
        var chosen: [String]?
        var reason: String?
    }

    let chrome: PageChrome
    let year: Int
    let level: String
    let levelLabel: String
    let tabs: [Tab]
    let title: String
    let complete: Bool
    let missing: [String]
    let readsAll: Bool
    let rows: [Row]
    let raters: [RaterForm]
    let panel: [RatingInput]
    let mayDecide: Bool
    /// For the approver, when everything is published but the year has not ended: the day the decision opens.
    let decisionOpensOn: String?
    let decided: Bool
    let decision: Selection.Decision?
    let awardedNames: [String]
    let quota: String
    let reason: String
    /// The decision form's errors, by field (`awards`, `reason`).
    let decisionErrors: [String: String]
    let notice: String?
    let problem: String?
    let weights: String

    static func query(year: Int, level: Unit.Kind, on req: Request, state: State) async throws -> SelectionPage {
        let user = try req.auth.require(User.self)
        let grants = try await Access.roles(of: user, on: req.db)
        let readsAll = Policy.readsForTheGeneralBranch(grants)
        let raterRole = Evaluations.rater(of: level)
        let raterUnits = grants.filter { $0.role == raterRole }.map(\.unitCode)
        let isPanelLeader = Policy.holdsBureauRole(grants, Policy.panelRaters)
        guard Policy.mayReadSelection(of: level, grants) else {
            throw Abort(.forbidden, reason: "年度评选由党总支和参评单位查看")
        }
        let document = try await Selection.document(year: year, level: level, on: req.db)
        let evaluations = try await AnnualEvaluation.query(on: req.db).filter(\.$year == year).filter(\.$level == level)
            .all()
        func stored(_ kind: AnnualEvaluation.Kind, rater: String, unit: String) -> String {
            evaluations.first { $0.kind == kind && $0.rater == rater && $0.unitCode == unit }?.score ?? ""
        }
        let names = Dictionary(document.units.map { ($0.unit, $0.name) }, uniquingKeysWith: { a, _ in a })
        let decides = Policy.holdsBureauRole(grants, Policy.approvers)
        let yearEnded = BureauCalendar.today().year > year
        let awarded = Set(document.decision?.awards ?? [])
        let chosen = Set(state.chosen ?? (document.decision?.awards ?? document.units.filter(\.proposed).map(\.unit)))
        func text(_ value: Decimal?) -> String { value.map(PageFormat.points) ?? "—" }
        let rubric = try await Selection.rubric(
            year: year, level: level, periods: try await Period.query(on: req.db).filter(\.$year == year).all(),
            on: req.db)
        let weights = rubric.annual.weights
        // 互评 within the unit the rubric names (its members' group, its groups' branch), as `Evaluations` checks.
        let units = try await Unit.query(on: req.db).filter(\.$kind == level).all()
        let circles = try await Selection.circles(of: units, within: rubric.annual.peersWithin, on: req.db)

        return SelectionPage(
            chrome: try await PageChrome.make("年度评选", req), year: year, level: level.rawValue, levelLabel: level.label,
            tabs: Selection.levels.filter { Policy.mayReadSelection(of: $0, grants) }.map { tab in
                Tab(
                    label: Selection.title(of: tab), current: tab == level,
                    href: SiteURL.selection(.init(year)).path(query: ["level": tab == .branch ? nil : tab.rawValue]))
            },
            title: Selection.title(of: level), complete: document.complete, missing: document.missing,
            readsAll: readsAll,
            rows: document.units.map { line in
                Row(
                    unit: line.unit, name: line.name, quarters: line.quarters.map(text), yearly: text(line.yearly),
                    bonus: text(line.bonus),
                    selfRating: text(line.selfRating), peer: text(line.peer), panel: text(line.panel),
                    composite: text(line.composite),
                    rank: line.rank.map(String.init) ?? "—", vetoed: line.vetoed, proposed: line.proposed,
                    awarded: awarded.contains(line.unit), chosen: chosen.contains(line.unit) && !line.vetoed)
            },
            // Once decided the ratings are final (409 on a save), so their forms are not offered.
            raters: document.decision != nil
                ? []
                : raterUnits.sorted().compactMap { code in
                    guard let name = names[code] else { return nil }
                    let peers = document.units.filter { $0.unit != code && circles[$0.unit] == circles[code] }
                    return RaterForm(
                        unit: code, name: name,
                        selfValue: state.typed["self.\(code)"] ?? stored(.selfRating, rater: code, unit: code),
                        selfError: state.errors["self.\(code)"],
                        peers: peers.map { peer in
                            RatingInput(
                                unit: peer.unit, name: peer.name,
                                value: state.typed["peer.\(code).\(peer.unit)"]
                                    ?? stored(.peer, rater: code, unit: peer.unit),
                                error: state.errors["ratings.\(peer.unit)"])
                        })
                },
            panel: isPanelLeader && document.decision == nil
                ? document.units.map { line in
                    RatingInput(
                        unit: line.unit, name: line.name,
                        value: state.typed["panel.\(line.unit)"]
                            ?? stored(.panel, rater: AnnualEvaluation.panelRater, unit: line.unit),
                        error: state.errors["panel.\(line.unit)"])
                } : [],
            mayDecide: decides && document.complete && yearEnded,
            decisionOpensOn: decides && document.complete && !yearEnded ? "\(year + 1)-01-01" : nil,
            decided: document.decision != nil, decision: document.decision,
            awardedNames: (document.decision?.awards ?? []).compactMap { names[$0] },
            quota: (document.awardsWithin.flatMap(Unit.Kind.init(rawValue:)).map { "每个\($0.label)" } ?? "")
                + (document.awardsMin == document.awardsMax
                    ? "\(document.awardsMin)" : "\(document.awardsMin)–\(document.awardsMax)"),
            reason: state.reason ?? document.decision?.reason ?? "",
            decisionErrors: state.errors.filter { $0.key.hasPrefix("decision.") }
                .reduce(into: [:]) { $0[String($1.key.dropFirst("decision.".count))] = $1.value },
            notice: state.notice, problem: state.problem,
            weights:
                "季度考核 \(weights.quarterly * 100)%、自评 \(weights.selfRating * 100)%、互评 \(weights.peer * 100)%、考评 \(weights.panel * 100)%"
        )
    }
}
