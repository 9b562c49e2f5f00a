import Fluent
import KaoheCore
import Vapor

/// 年度评议与测评: the yearly facts the 细则 counts, kept where they arise instead of typed as entries — each member's
/// 民主评议 and 部门考核 result (5.1), the unit's 满意率 survey (5.3), 内审 findings (2.5) — and what they, the
/// secretary's post (6.1) and the 局党组成员's absences (6.3) suggest on the quarter's sheet the rubric names.
enum YearFacts {
    /// A branch's or group's year as both surfaces show it.
    struct Book: Content {
        struct Rate: Content {
            let rate: String
            let day: String?
            let note: String?
        }

        struct Finding: Content {
            let id: UUID
            let day: String
            let kind: AuditFinding
            let kindLabel: String
            let note: String?
            let recordedBy: String
        }

        struct Member: Content {
            let member: String
            let name: String
            /// The last day on the unit's roster this year, when they left it.
            let until: String?
            let appraisal: AppraisalResult?
            let review: ReviewResult?
            let midLevel: Bool
            let leadership: Bool
        }

        let unit: String
        let unitName: String
        let year: Int
        let satisfaction: Rate?
        let findings: [Finding]
        let members: [Member]
    }

    /// What one save changes: absent keys are left as they are, `null` clears (`PUT …/facts/{year}`).
    struct Changes: Sendable, Decodable {
        struct Rate: Sendable, Decodable {
            let rate: String?
            let day: String?
            let note: String?
        }
        /// nil: left as it is; `.some(nil)`: cleared.
        var satisfaction: Rate??
        var appraisals: [String: String?]
        var reviews: [String: String?]

        init(satisfaction: Rate?? = nil, appraisals: [String: String?] = [:], reviews: [String: String?] = [:]) {
            self.satisfaction = satisfaction
            self.appraisals = appraisals
            self.reviews = reviews
        }

        private enum Key: String, CodingKey { case satisfaction, appraisals, reviews }

        init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: Key.self)
            if fields.contains(.satisfaction) {
                satisfaction = .some(
                    try fields.decodeNil(forKey: .satisfaction) ? nil : fields.decode(Rate.self, forKey: .satisfaction))
            }
            appraisals = try fields.decodeIfPresent([String: String?].self, forKey: .appraisals) ?? [:]
            reviews = try fields.decodeIfPresent([String: String?].self, forKey: .reviews) ?? [:]
        }
    }

    /// A new 内审 finding (`POST …/facts/{year}/findings`).
    struct FindingInput: Sendable, Content {
        let day: String?
        let kind: String?
        let note: String?
    }

    // MARK: Reading

    static func book(of unit: Unit, year: Int, on db: any Database) async throws -> Book {
        let roster = try await roster(of: unit, year: year, on: db)
        let members = try await Unit.query(on: db).filter(\.$code ~~ roster.keys.sorted()).all()
            .sorted { $0.code < $1.code }
        let facts = try await YearFact.query(on: db).filter(\.$year == year)
            .group(.or) { $0.filter(\.$unitCode == unit.code).filter(\.$unitCode ~~ members.map(\.code)) }.all()
        let results = Dictionary(grouping: facts.filter { $0.slot.isEmpty }) { "\($0.unitCode)/\($0.kind.rawValue)" }
        func result(_ code: String, _ kind: YearFact.Kind) -> String? {
            results["\(code)/\(kind.rawValue)"]?.first?.value
        }
        let last = lastDay(of: year)
        return Book(
            unit: unit.code, unitName: unit.name, year: year,
            satisfaction: results["\(unit.code)/satisfaction"]?.first.map {
                .init(rate: $0.value, day: $0.day, note: $0.note)
            },
            findings: facts.filter { $0.kind == .finding && $0.unitCode == unit.code }
                .sorted { ($0.day ?? "", $0.createdAt ?? .distantPast) < ($1.day ?? "", $1.createdAt ?? .distantPast) }
                .compactMap { fact in
                    guard let id = fact.id, let kind = AuditFinding(rawValue: fact.value) else { return nil }
                    return .init(
                        id: id, day: fact.day ?? "", kind: kind, kindLabel: kind.label, note: fact.note,
                        recordedBy: fact.recordedBy)
                },
            members: members.map { member in
                let until = roster[member.code].flatMap { $0 < last.description ? $0 : nil }
                return .init(
                    member: member.code, name: member.name, until: until,
                    appraisal: result(member.code, .appraisal).flatMap(AppraisalResult.init(rawValue:)),
                    review: result(member.code, .review).flatMap(ReviewResult.init(rawValue:)),
                    midLevel: member.holdsMidLevelPost, leadership: member.inLeadershipGroup == true)
            })
    }

    /// The members on the unit's roster on any day of `year`, each with their last day on it.
    static func roster(of unit: Unit, year: Int, on db: any Database) async throws -> [String: String] {
        guard let first = CalendarDay(year: year, month: 1, day: 1) else { return [:] }
        let rosters = try await Ledger.rosters(of: unit, on: db)
        let (from, to) = (first.description, lastDay(of: year).description)
        var last: [String: String] = [:]
        for stretch in rosters.stretches where stretch.from <= to && stretch.to >= from {
            last[stretch.member] = max(last[stretch.member] ?? "", min(stretch.to, to))
        }
        return last
    }

    private static func lastDay(of year: Int) -> CalendarDay { CalendarDay(year: year, month: 12, day: 31)! }

    // MARK: Writing

    /// A branch or group's facts of `year` as `changes` says, in one transaction, each change audited; the first
    /// thing wrong refuses them all (422 naming the field, 403 for a kind the user does not record).
    static func save(
        _ changes: Changes, on unit: Unit, year: Int, by user: User, today: CalendarDay, on db: any Database
    ) async throws {
        try checkYear(year, today: today)
        try checkUnit(unit)
        let may = try await recordable(on: unit, by: user, on: db)
        func require(_ kind: YearFact.Kind) throws {
            guard may.contains(kind) else {
                throw Abort(
                    .forbidden, reason: "\(kind.label)不由您登记 (\(kind.rawValue) is recorded by \(recorders(of: kind)))")
            }
        }
        let roster = try await roster(of: unit, year: year, on: db)
        var rows: [(unit: String, kind: YearFact.Kind, value: String?, day: String?, note: String?)] = []
        if let satisfaction = changes.satisfaction {
            try require(.satisfaction)
            if let rate = satisfaction {
                let value = try self.rate(rate.rate)
                let day = try rate.day.map { try dayOf(year, $0, field: "satisfaction.day", today: today) }
                let note = try note(rate.note, field: "satisfaction.note")
                rows.append((unit.code, .satisfaction, "\(value)", day?.description, note))
            } else {
                rows.append((unit.code, .satisfaction, nil, nil, nil))
            }
        }
        func members(_ written: [String: String?], _ kind: YearFact.Kind, valid: (String) -> Bool) throws {
            guard !written.isEmpty else { return }
            try require(kind)
            for (member, value) in written.sorted(by: { $0.key < $1.key }) {
                let field = "\(kind.rawValue)s.\(member.prefix(64))"
                guard roster[member] != nil else {
                    throw ValidationProblem(field: field, rule: "不是\(unit.name) \(year) 年在册的党员 (not on the roster)")
                }
                let value = value.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
                if let value, !valid(value) {
                    throw ValidationProblem(field: field, rule: "“\(value.prefix(32))”不是可选的结果 (unknown result)")
                }
                rows.append((member, kind, value, nil, nil))
            }
        }
        try members(changes.appraisals, .appraisal) { AppraisalResult(rawValue: $0) != nil }
        try members(changes.reviews, .review) { ReviewResult(rawValue: $0) != nil }
        guard !rows.isEmpty else { return }
        let changed = rows
        try await db.writeTransaction { db in
            // Each unit's row held, in one order, so that two saves of one year run one after the other.
            for code in Set(changed.map(\.unit)).sorted() { _ = try await Unit.held(code, on: db) }
            for row in changed {
                let kept = try await YearFact.query(on: db).filter(\.$unitCode == row.unit).filter(\.$year == year)
                    .filter(\.$kind == row.kind).filter(\.$slot == "").first()
                let before = kept.map(Audited.init)
                switch (kept, row.value) {
                case (nil, nil): continue
                case (let kept?, nil): try await kept.delete(on: db)
                case (let kept?, let value?):
                    guard kept.value != value || kept.day != row.day || kept.note != row.note else { continue }
                    (kept.value, kept.day, kept.note, kept.recordedBy) = (value, row.day, row.note, user.username)
                    try await kept.save(on: db)
                case (nil, let value?):
                    try await YearFact(
                        unit: row.unit, year: year, kind: row.kind, value: value, day: row.day, note: row.note,
                        by: user.username
                    ).create(on: db)
                }
                try await AuditLog.append(
                    on: db, actor: user.username, action: .factRecord, subject: .unit(row.unit), before: before,
                    after: row.value.map {
                        Audited(year: year, kind: row.kind.rawValue, value: $0, day: row.day, note: row.note)
                    })
            }
        }
    }

    /// Records one 内审 finding at a branch (the organizer's: the audit team reports it to the general branch).
    static func addFinding(
        _ input: FindingInput, on unit: Unit, year: Int, by user: User, today: CalendarDay, on db: any Database
    ) async throws -> YearFact {
        try checkYear(year, today: today)
        guard unit.kind == .branch else {
            throw ValidationProblem(field: "unit", rule: "内审发现记在党支部 (findings are a branch's)")
        }
        guard try await recordable(on: unit, by: user, on: db).contains(.finding) else {
            throw Abort(.forbidden, reason: "内审发现由组织委员登记 (the organizer records findings)")
        }
        guard let kind = input.kind.flatMap(AuditFinding.init(rawValue:)) else {
            let names = AuditFinding.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationProblem(field: "kind", rule: "应为 \(names) 之一 (observation, nonconformity or major)")
        }
        let day = try dayOf(year, input.day ?? "", field: "day", today: today)
        let note = try note(input.note, field: "note")
        let id = UUID()
        let fact = YearFact(
            id: id, unit: unit.code, year: year, kind: .finding, slot: id.uuidString, value: kind.rawValue,
            day: day.description, note: note, by: user.username)
        try await db.writeTransaction { db in
            try await fact.create(on: db)
            try await AuditLog.append(
                on: db, actor: user.username, action: .findingRecord, subject: .unit(unit.code),
                after: Audited(fact))
        }
        return fact
    }

    /// Removes a finding recorded by mistake, audited with what it said.
    static func removeFinding(_ id: UUID?, on unit: Unit, by user: User, on db: any Database) async throws {
        guard try await recordable(on: unit, by: user, on: db).contains(.finding) else {
            throw Abort(.forbidden, reason: "内审发现由组织委员登记 (the organizer records findings)")
        }
        try await db.writeTransaction { db in
            guard let id,
                let fact = try await YearFact.query(on: db).filter(\.$id == id).filter(\.$kind == .finding)
                    .filter(\.$unitCode == unit.code).first()
            else { throw Abort(.notFound, reason: "没有这条内审发现 (no such finding)") }
            try await fact.delete(on: db)
            try await AuditLog.append(
                on: db, actor: user.username, action: .findingRemove, subject: .unit(unit.code), before: Audited(fact))
        }
    }

    /// What the audit log keeps of a fact.
    struct Audited: Codable {
        let year: Int
        let kind: String
        let value: String
        let day: String?
        let note: String?

        init(year: Int, kind: String, value: String, day: String?, note: String?) {
            (self.year, self.kind, self.value, self.day, self.note) = (year, kind, value, day, note)
        }

        init(_ fact: YearFact) {
            self.init(year: fact.year, kind: fact.kind.rawValue, value: fact.value, day: fact.day, note: fact.note)
        }
    }

    // MARK: Who records

    /// The kinds `user` records on `unit` (`Policy.mayRecordFact`).
    static func recordable(on unit: Unit, by user: User, on db: any Database) async throws -> Set<YearFact.Kind> {
        let grants = try await Access.roles(of: user, on: db)
        let chain = try await Access.unitAndAncestors(unit.code, on: db)
        return Set(YearFact.Kind.allCases.filter { Policy.mayRecordFact($0, on: unit, grants: grants, chain: chain) })
    }

    private static func recorders(of kind: YearFact.Kind) -> String {
        switch kind {
        case .appraisal: "the organizer or the branch's secretary"
        case .satisfaction: "the organizer, the branch's secretary or the group's leader"
        case .review, .finding: "the organizer"
        }
    }

    // MARK: Checks

    private static func checkYear(_ year: Int, today: CalendarDay) throws {
        guard (2000...today.year).contains(year) else {
            throw ValidationProblem(field: "year", rule: "应为 2000–\(today.year) 年 (a year that has begun)")
        }
    }

    private static func checkUnit(_ unit: Unit) throws {
        guard unit.kind == .branch || unit.kind == .group else {
            throw ValidationProblem(field: "unit", rule: "年度评议与测评记在党支部或党小组 (a branch or a group)")
        }
    }

    /// A rate 0–100 with at most two decimals.
    static func rate(_ text: String?) throws -> Decimal {
        guard let rate = text.flatMap(InputText.decimal), rate >= 0, rate <= 100, rate.rounded(scale: 2) == rate
        else {
            throw ValidationProblem(field: "satisfaction.rate", rule: "满意率应为 0–100 的数，至多两位小数 (a percentage)")
        }
        return rate
    }

    /// A line of at most 500 characters, or nil when nothing was written.
    private static func note(_ text: String?, field: String) throws -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        guard text.count <= 500 else {
            throw ValidationProblem(field: field, rule: "至多 500 字 (at most 500 characters)")
        }
        return text
    }

    private static func dayOf(_ year: Int, _ text: String, field: String, today: CalendarDay) throws -> CalendarDay {
        let day = try CalendarDay.past(text, field: field, today: today)
        guard day.year == year else {
            throw ValidationProblem(field: field, rule: "应在 \(year) 年内 (a day of the year)")
        }
        return day
    }
}
