import Fluent
import KaoheCore
import Vapor

/// 年度评选 (办法 七(二)) at one level: the four published quarters of every unit, the 自评, 互评 and 考评, the
/// composite and rank KaoheCore's `AnnualSelection` computes (as `kaohe annual` does), the vetoes, the proposal and
/// the 党总支综合评定.
enum Selection {
    struct Line: Content {
        let unit: String
        let name: String
        /// The four quarters' published totals; null for a quarter not published (or not filed) yet.
        let quarters: [Decimal?]
        let yearly: Decimal?
        let bonus: Decimal
        let selfRating: Decimal?
        let peer: Decimal?
        let panel: Decimal?
        let composite: Decimal?
        let rank: Int?
        let vetoed: Bool
        let proposed: Bool
        /// The group or branch within which the unit is proposed (`annual.awards.within`), null for the whole level.
        let circle: String?

        enum CodingKeys: String, CodingKey {
            case unit, name, quarters, yearly, bonus, selfRating = "self", peer, panel, composite, rank, vetoed,
                proposed, circle
        }

        /// Every key written, a missing value as `null` (contracts/api.md: "null until entered").
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(unit, forKey: .unit)
            try c.encode(name, forKey: .name)
            try c.encode(quarters, forKey: .quarters)
            try c.encode(yearly, forKey: .yearly)
            try c.encode(bonus, forKey: .bonus)
            try c.encode(selfRating, forKey: .selfRating)
            try c.encode(peer, forKey: .peer)
            try c.encode(panel, forKey: .panel)
            try c.encode(composite, forKey: .composite)
            try c.encode(rank, forKey: .rank)
            try c.encode(vetoed, forKey: .vetoed)
            try c.encode(proposed, forKey: .proposed)
            try c.encode(circle, forKey: .circle)
        }
    }

    struct Decision: Content {
        let awards: [String]
        let reason: String?
        let decidedBy: String
        let decidedOn: String
    }

    struct Document: Content {
        let year: Int
        let level: String
        let complete: Bool
        /// What keeps the year from being complete, in words.
        let missing: [String]
        let units: [Line]
        let decision: Decision?
        /// `annual.awards` of the level's rubric.
        let awardsMin: Int
        let awardsMax: Int
        /// `annual.awards.within`: the quota holds in each group (or branch) of that kind, null for the whole level.
        let awardsWithin: String?

        enum CodingKeys: String, CodingKey {
            case year, level, complete, missing, units, decision, awardsMin, awardsMax, awardsWithin
        }

        /// `"decision": null` until the approver decides.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(year, forKey: .year)
            try c.encode(level, forKey: .level)
            try c.encode(complete, forKey: .complete)
            try c.encode(missing, forKey: .missing)
            try c.encode(units, forKey: .units)
            try c.encode(decision, forKey: .decision)
            try c.encode(awardsMin, forKey: .awardsMin)
            try c.encode(awardsMax, forKey: .awardsMax)
            try c.encode(awardsWithin, forKey: .awardsWithin)
        }
    }

    static let levels: [Unit.Kind] = [.branch, .group, .member]

    /// The title an award of the level carries (办法 七(二)).
    static func title(of level: Unit.Kind) -> String {
        switch level {
        case .group: "先进党小组"
        case .member: "优秀党员"
        default: "先进党支部"
        }
    }

    static func level(_ text: String?) throws -> Unit.Kind {
        guard let text else { return .branch }
        guard let kind = Unit.Kind(rawValue: text), levels.contains(kind) else {
            throw ValidationProblem(field: "level", rule: "应为 branch、group 或 member")
        }
        return kind
    }

    /// The rubric the year is ranked by: the level's rubric of the year's last quarter (the newest one before any).
    static func rubric(year: Int, level: Unit.Kind, periods: [Period], on db: any Database) async throws -> Rubric {
        let last = periods.max { $0.quarter < $1.quarter }
        let id: UUID? =
            switch level {
            case .group: last?.$groupRubric.id
            case .member: last?.$memberRubric.id
            default: last?.$branchRubric.id
            }
        if let id, let version = try await RubricVersion.find(id, on: db) { return try RubricStore.rubric(of: version) }
        guard let rubricLevel = level.rubricLevel,
            let version = try await RubricStore.latest(level: rubricLevel, on: db)
        else {
            throw Abort(.conflict, reason: "没有\(level.label)的考核细则")
        }
        return try RubricStore.rubric(of: version)
    }

    /// Each unit's group or branch of the kind `within` names (a member's group, a group's branch), for
    /// `annual.awards.within` and `annual.peers.within`; empty when the rubric names none.
    static func circles(of units: [Unit], within: UnitLevel?, on db: any Database) async throws -> [String: String] {
        guard let within, let kind = Unit.Kind(rawValue: within.rawValue) else { return [:] }
        let above = try await Unit.query(on: db).filter(\.$kind ~~ [.branch, .group]).all()
        let byCode = Dictionary(above.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var circles: [String: String] = [:]
        for unit in units {
            var parent = unit.parentCode.flatMap { byCode[$0] }
            while let current = parent, current.kind != kind { parent = current.parentCode.flatMap { byCode[$0] } }
            if let parent { circles[unit.code] = parent.code }
        }
        return circles
    }

    static func document(year: Int, level: Unit.Kind, on db: any Database) async throws -> Document {
        let periods = try await Period.query(on: db).filter(\.$year == year).all()
        let rubric = try await rubric(year: year, level: level, periods: periods, on: db)
        let units = try await Unit.query(on: db).filter(\.$kind == level).sort(\.$sortOrder).sort(\.$code).all()
        let byQuarter = Dictionary(periods.map { ($0.quarter, $0) }, uniquingKeysWith: { a, _ in a })
        let periodIDs = try periods.map { try $0.requireID() }
        let sheets =
            periodIDs.isEmpty
            ? []
            : try await Sheet.query(on: db).filter(\.$period.$id ~~ periodIDs)
                .filter(\.$level == level).all()
        let quarterOf = Dictionary(
            try periods.map { (try $0.requireID(), $0.quarter) }, uniquingKeysWith: { a, _ in a })
        var totals: [String: [Int: (total: Decimal, bonus: Decimal)]] = [:]
        for sheet in sheets {
            guard let quarter = quarterOf[sheet.$period.id], byQuarter[quarter]?.publishedOn != nil,
                let report = try await Sheets.publishedReport(of: sheet, on: db)
            else { continue }
            totals[sheet.unitCode, default: [:]][quarter] = (report.total, report.bonus)
        }

        var missing: [String] = []
        for quarter in 1...4 where byQuarter[quarter]?.publishedOn == nil {
            missing.append("\(year)年第\(["一", "二", "三", "四"][quarter - 1])季度考核结果尚未公布")
        }
        if missing.isEmpty {
            for unit in units where (totals[unit.code] ?? [:]).count < 4 {
                missing.append("\(unit.name)有季度考核结果未公布或未备案")
            }
        }

        let evaluations = try await AnnualEvaluation.query(on: db).filter(\.$year == year).filter(\.$level == level)
            .all()
        var selfRatings: [String: Decimal] = [:], panel: [String: Decimal] = [:],
            peers: [String: [String: Decimal]] = [:]
        for evaluation in evaluations {
            guard let score = Decimal(string: evaluation.score) else { continue }
            switch evaluation.kind {
            case .selfRating: selfRatings[evaluation.unitCode] = score
            case .panel: panel[evaluation.unitCode] = score
            case .peer: peers[evaluation.unitCode, default: [:]][evaluation.rater] = score
            }
        }
        let struck = try await Vetoes.struck(in: year, on: db)

        let circles = try await circles(of: units, within: rubric.annual.awards.within, on: db)
        var standings: [String: AnnualStanding] = [:]
        if missing.isEmpty {
            let years = units.map { unit in
                UnitYear(
                    unit: unit.code, quarters: (1...4).map { totals[unit.code]?[$0]?.total ?? 0 },
                    bonus: (totals[unit.code] ?? [:]).values.reduce(0) { $0 + $1.bonus },
                    selfRating: selfRatings[unit.code] ?? 0, peerRatings: peers[unit.code] ?? [:],
                    panel: panel[unit.code] ?? 0, vetoed: struck[unit.code] != nil)
            }
            do {
                standings = Dictionary(
                    try AnnualSelection(rubric: rubric).rank(years, requiringPeerRatings: false, circles: circles)
                        .map { ($0.unit, $0) },
                    uniquingKeysWith: { a, _ in a })
            } catch {
                throw Abort(.internalServerError, reason: "年度评选无法计算: \(error)")
            }
        }
        let decision = try await AnnualDecision.query(on: db).filter(\.$year == year).filter(\.$level == level).first()
        let lines = units.map { unit in
            let standing = standings[unit.code]
            return Line(
                unit: unit.code, name: unit.name, quarters: (1...4).map { totals[unit.code]?[$0]?.total },
                yearly: standing?.yearly.rounded(scale: 2),
                bonus: (totals[unit.code] ?? [:]).values.reduce(0) { $0 + $1.bonus },
                selfRating: selfRatings[unit.code],
                peer: peers[unit.code] == nil ? nil : standing?.peer.rounded(scale: 2),
                panel: panel[unit.code], composite: standing?.composite.rounded(scale: 2), rank: standing?.rank,
                vetoed: struck[unit.code] != nil, proposed: standing?.proposed ?? false, circle: circles[unit.code])
        }
        return Document(
            year: year, level: level.rawValue, complete: missing.isEmpty, missing: missing,
            units: standings.isEmpty ? lines : lines.sorted { ($0.rank ?? .max) < ($1.rank ?? .max) },
            decision: decision.map {
                Decision(awards: $0.awardedUnits, reason: $0.reason, decidedBy: $0.decidedBy, decidedOn: $0.decidedOn)
            },
            awardsMin: rubric.annual.awards.min, awardsMax: rubric.annual.awards.max,
            awardsWithin: rubric.annual.awards.within?.rawValue)
    }
}
