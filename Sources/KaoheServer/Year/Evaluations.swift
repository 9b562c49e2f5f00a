import Fluent
import KaoheCore
import Vapor

/// The ratings of the yearly selection (办法 七(二)): each unit's 自评 of itself, its 互评 of the others (never of
/// itself), the panel leader's 考评, and the approver's 党总支综合评定 of the proposal.
enum Evaluations {
    /// Who rates for a unit of the level: the branch's secretary, the group's leader, the member.
    static func rater(of level: Unit.Kind) -> Role {
        switch level {
        case .group: .groupLeader
        case .member: .member
        default: .branchSecretary
        }
    }

    /// A rating 0–100, at most two decimals, full-width digits read as digits.
    static func score(_ text: String, field: String) throws -> Decimal {
        guard let value = InputText.decimal(text) else {
            throw ValidationProblem(field: field, rule: "应为 0–100 的分数 (a number from 0 to 100)")
        }
        guard value >= 0, value <= 100 else {
            throw ValidationProblem(field: field, rule: "分数应在 0–100 之间 (from 0 to 100)")
        }
        guard value.rounded(scale: 2) == value else {
            throw ValidationProblem(field: field, rule: "分数最多两位小数 (at most two decimals)")
        }
        return value
    }

    static func unit(_ code: String, field: String, on db: any Database) async throws -> Unit {
        guard let unit = try await Unit.query(on: db).filter(\.$code == code).first(),
            Selection.levels.contains(unit.kind)
        else {
            throw ValidationProblem(field: field, rule: "\(code) 不是党支部、党小组或党员 (not a branch, group or member)")
        }
        return unit
    }

    /// 自评: the unit's own rater rates it.
    static func setSelf(year: Int, unit code: String, score text: String, by user: User, on db: any Database)
        async throws
    {
        let unit = try await unit(code, field: "unit", on: db)
        try await requireRater(of: unit, user, on: db)
        let score = try score(text, field: "score")
        try await save(year: year, level: unit.kind, [(.selfRating, unit.code, unit.code, score)], by: user, on: db)
    }

    /// 互评: the rating unit's rater rates the others of its level, never itself.
    static func setPeer(year: Int, rater code: String, ratings: [(String, String)], by user: User, on db: any Database)
        async throws
    {
        let rater = try await unit(code, field: "unit", on: db)
        try await requireRater(of: rater, user, on: db)
        var rows: [(AnnualEvaluation.Kind, String, String, Decimal)] = []
        var scored: [(unit: Unit, score: Decimal)] = []
        for (rated, text) in ratings.sorted(by: { $0.0 < $1.0 }) {
            let field = "ratings.\(rated)"
            guard rated != rater.code else {
                throw ValidationProblem(field: field, rule: "不能给本单位互评 (a unit does not rate itself)")
            }
            let unit = try await unit(rated, field: field, on: db)
            guard unit.kind == rater.kind else {
                throw ValidationProblem(
                    field: field, rule: "\(unit.name)不是\(rater.kind.label)，互评只在同级之间 (peers are of one level)")
            }
            scored.append((unit, try score(text, field: field)))
        }
        try await requireOneCircle(rater, scored.map(\.unit), year: year, on: db)
        for (unit, score) in scored { rows.append((.peer, rater.code, unit.code, score)) }
        try await save(year: year, level: rater.kind, rows, by: user, on: db)
    }

    /// 互评 within the unit the rubric names (`annual.peers.within`): the members of one group, the groups of one
    /// branch; 422 naming the unit rated from elsewhere.
    private static func requireOneCircle(_ rater: Unit, _ rated: [Unit], year: Int, on db: any Database) async throws {
        let periods = try await Period.query(on: db).filter(\.$year == year).all()
        let rubric = try await Selection.rubric(year: year, level: rater.kind, periods: periods, on: db)
        guard let within = rubric.annual.peersWithin else { return }
        let circles = try await Selection.circles(of: [rater] + rated, within: within, on: db)
        let label = Unit.Kind(rawValue: within.rawValue)?.label ?? within.rawValue
        for unit in rated where circles[unit.code] != circles[rater.code] {
            throw ValidationProblem(
                field: "ratings.\(unit.code)",
                rule: "\(unit.name)不在本\(label)，互评只在同一\(label)之内 (peers within one \(within.rawValue))")
        }
    }

    /// 考评: the panel leader rates units of any level.
    static func setPanel(year: Int, ratings: [(String, String)], by user: User, on db: any Database) async throws {
        try Policy.requireBureauRole(
            try await Access.roles(of: user, on: db), Policy.panelRaters, "考评由考核小组组长填写 (the panel leader rates)")
        var byLevel: [Unit.Kind: [(AnnualEvaluation.Kind, String, String, Decimal)]] = [:]
        for (rated, text) in ratings.sorted(by: { $0.0 < $1.0 }) {
            let unit = try await unit(rated, field: "ratings.\(rated)", on: db)
            byLevel[unit.kind, default: []].append(
                (.panel, AnnualEvaluation.panelRater, unit.code, try score(text, field: "ratings.\(rated)")))
        }
        for (level, rows) in byLevel.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            try await save(year: year, level: level, rows, by: user, on: db)
        }
    }

    private static func requireRater(of unit: Unit, _ user: User, on db: any Database) async throws {
        let role = rater(of: unit.kind)
        guard try await Access.roles(of: user, on: db).contains(where: { $0.role == role && $0.unitCode == unit.code })
        else {
            throw Abort(
                .forbidden, reason: "只有\(unit.name)的\(role.label)可以为其评分 (only the unit's \(role.rawValue) rates for it)"
            )
        }
    }

    /// Writes the ratings, replacing earlier ones, unless the level's 综合评定 is made (409: it stands on them).
    private static func save(
        year: Int, level: Unit.Kind, _ rows: [(AnnualEvaluation.Kind, String, String, Decimal)],
        by user: User, on db: any Database
    ) async throws {
        try await db.writeTransaction { db in
            if try await AnnualDecision.query(on: db).filter(\.$year == year).filter(\.$level == level).first() != nil {
                throw Abort(.conflict, reason: "\(year) 年\(level.label)已综合评定，评分不再更改 (decided)")
            }
            for (kind, rater, unit, score) in rows {
                let existing = try await AnnualEvaluation.query(on: db).filter(\.$year == year).filter(
                    \.$level == level
                )
                .filter(\.$kind == kind).filter(\.$rater == rater).filter(\.$unitCode == unit).first()
                let row = existing ?? AnnualEvaluation()
                let before = existing?.score
                guard before.flatMap({ Decimal(string: $0) }) != score else { continue }
                (row.year, row.level, row.kind, row.rater, row.unitCode) = (year, level, kind, rater, unit)
                row.score = "\(score)"
                row.enteredBy = user.username
                row.enteredAt = Date()
                try await row.save(on: db)
                try await AuditLog.append(
                    on: db, actor: user.username, action: .evaluationEnter, subject: .year(year, level: level.rawValue),
                    before: ["score": before ?? ""],
                    after: ["kind": kind.rawValue, "rater": rater, "unit": unit, "score": "\(score)"])
            }
        }
    }

    /// The rubric's `annual.awards`: for the whole level, or in each group (branch) when it names one — there as
    /// many as the quota asks, or as the group has units not vetoed.
    private static func withinQuota(
        _ awards: [String], _ document: Selection.Document, level: Unit.Kind, on db: any Database
    ) async throws {
        let quota = document.awardsMin...max(document.awardsMin, document.awardsMax)
        let title = Selection.title(of: level)
        guard document.awardsWithin != nil else {
            guard quota.contains(awards.count) else {
                throw ValidationProblem(
                    field: "awards",
                    rule:
                        "应评 \(quota.lowerBound)–\(quota.upperBound) 个\(title)，选了 \(awards.count) 个 (outside the quota)")
            }
            return
        }
        let byCircle = Dictionary(grouping: document.units) { $0.circle ?? "" }
        let circles = try await Unit.query(on: db).filter(\.$code ~~ Array(byCircle.keys)).all()
        let names = Dictionary(circles.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        for (circle, lines) in byCircle.sorted(by: { $0.key < $1.key }) {
            let chosen = lines.filter { awards.contains($0.unit) }.count
            let eligible = lines.filter { !$0.vetoed }.count
            guard chosen <= quota.upperBound, chosen >= min(quota.lowerBound, eligible) else {
                throw ValidationProblem(
                    field: "awards",
                    rule:
                        "\(names[circle] ?? circle)应评 \(quota.lowerBound)–\(quota.upperBound) 个\(title)，选了 \(chosen) 个 (outside the quota of \(circle))"
                )
            }
        }
    }

    /// 党总支综合评定: the proposal accepted, or other units chosen with a written reason; never a vetoed unit, never
    /// outside the rubric's quota, never before the four quarters are published.
    static func decide(
        year: Int, level: Unit.Kind, awards rawAwards: [String], reason rawReason: String?, by user: User,
        today: CalendarDay, on db: any Database
    ) async throws -> Selection.Document {
        try Policy.requireBureauRole(
            try await Access.roles(of: user, on: db), Policy.approvers, "综合评定由总支书记确定 (the approver decides)")
        guard today.year > year else {
            throw Abort(.conflict, reason: "\(year) 年到 \(year)-12-31 才结束，结束后才能综合评定 (the year has not ended)")
        }
        let document = try await Selection.document(year: year, level: level, on: db)
        guard document.complete else {
            throw Abort(.conflict, reason: "\(year) 年四个季度的考核结果尚未全部公布：\(document.missing.joined(separator: "；"))")
        }
        let awards = rawAwards.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let lines = Dictionary(document.units.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        guard Set(awards).count == awards.count else {
            throw ValidationProblem(field: "awards", rule: "有单位重复 (listed twice)")
        }
        for unit in awards {
            guard let line = lines[unit] else {
                throw ValidationProblem(field: "awards", rule: "\(unit) 不是参评的\(level.label) (not a unit of the level)")
            }
            guard !line.vetoed else {
                throw ValidationProblem(field: "awards", rule: "\(line.name)已被一票否决，取消评比资格 (vetoed)")
            }
        }
        try await withinQuota(awards, document, level: level, on: db)
        let reason = (rawReason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let proposed = Set(document.units.filter(\.proposed).map(\.unit))
        guard Set(awards) == proposed || !reason.isEmpty else {
            throw ValidationProblem(
                field: "reason", rule: "所选与推荐不同，请写明理由 (a reason is required to differ from the proposal)")
        }
        try await db.writeTransaction { db in
            let decision =
                try await AnnualDecision.query(on: db).filter(\.$year == year).filter(\.$level == level).first()
                ?? AnnualDecision()
            let before = decision.id == nil ? nil : decision.awardedUnits
            (decision.year, decision.level) = (year, level)
            decision.awards = String(decoding: try JSONEncoder().encode(awards), as: UTF8.self)
            decision.reason = reason.isEmpty ? nil : reason
            decision.decidedBy = user.username
            decision.decidedOn = today.description
            try await decision.save(on: db)
            try await AuditLog.append(
                on: db, actor: user.username, action: .awardDecide, subject: .year(year, level: level.rawValue),
                before: before.map { ["awards": $0] }, after: ["awards": awards, "reason": [reason]])
        }
        return try await Selection.document(year: year, level: level, on: db)
    }
}
