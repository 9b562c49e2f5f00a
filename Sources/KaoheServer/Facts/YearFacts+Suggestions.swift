import Fluent
import KaoheCore
import Vapor

extension YearFacts {
    /// What a branch's or group's yearly facts imply on its sheet of `quarter` (`FactCheck`), less what entries
    /// already count: read as the quarter ended, or today while it runs.
    static func suggestions(
        for unitCode: String, level: Unit.Kind, quarter: Quarter, rubric: Rubric, entries: [SheetEntry],
        today: CalendarDay, on db: any Database
    ) async throws -> [Suggestion] {
        guard let policy = rubric.facts, level == .branch || level == .group else { return [] }
        let asOf = min(quarter.lastDay, today)
        let yearly =
            quarter.quarter == policy.quarter
            && (policy.appraisal != nil || policy.review != nil || policy.satisfaction != nil)
        // What is read is what can matter: the unit's own facts; the bureau's few low results (on the yearly
        // quarter) and its few 局党组成员; the roster only when one of those may be the unit's.
        let own = try await YearFact.query(on: db).filter(\.$year == quarter.year).filter(\.$unitCode == unitCode).all()
        let low =
            yearly
            ? try await YearFact.query(on: db).filter(\.$year == quarter.year)
                .filter(\.$kind ~~ [.appraisal, .review]).filter(\.$value ~~ ["basic", "failed"]).all() : []
        let leaders =
            policy.leaderAbsence != nil
            ? try await Unit.query(on: db).filter(\.$inLeadershipGroup == true).filter(\.$kind == .member).all() : []
        let rosters =
            low.isEmpty && leaders.isEmpty ? nil : try await Ledger.rosters(of: unitCode, kind: level, on: db)

        var facts = FactCheck.Facts()
        if yearly {
            facts.satisfaction = own.first { $0.kind == .satisfaction }.flatMap { Decimal(string: $0.value) }
            // A member's result counts for the unit whose roster holds them when the quarter ends (or today).
            let sitting = Set(rosters?.on(asOf).values.flatMap { $0 } ?? [])
            let theirs = low.filter { sitting.contains($0.unitCode) }
            let names = try await Unit.names(of: theirs.map(\.unitCode), on: db)
            for fact in theirs {
                let name = names[fact.unitCode] ?? fact.unitCode
                switch fact.kind {
                case .appraisal:
                    if let result = AppraisalResult(rawValue: fact.value) { facts.appraisals.append((name, result)) }
                case .review:
                    if let result = ReviewResult(rawValue: fact.value) { facts.reviews.append((name, result)) }
                default: break
                }
            }
        }
        facts.findings = own.filter { $0.kind == .finding }.compactMap { fact in
            guard let day = fact.day.flatMap(CalendarDay.init), day <= asOf,
                let finding = AuditFinding(rawValue: fact.value)
            else { return nil }
            return (day, finding, fact.note ?? "")
        }
        if policy.secretaryPost != nil, level == .branch {
            facts.secretary = try await secretaryPost(of: unitCode, in: quarter, on: db)
        }
        if let rosters, !leaders.isEmpty {
            facts.leaderAbsences = try await leaderAbsences(
                of: unitCode, level: level, among: leaders, in: quarter, until: asOf, rosters: rosters, on: db)
        }
        return FactCheck.findings(in: quarter, policy: policy, thresholds: rubric.thresholds, facts: facts)
            .compactMap {
                Suggestion.remaining($0.rule, found: $0.count, reason: $0.reason, rubric: rubric, entries: entries)
            }
    }

    /// The secretary in office for most of the quarter and whether their member record holds a 中层 post (a
    /// 局党组成员 is above one); nil when no secretary is on record or their account names no member (`member` grant).
    private static func secretaryPost(of branch: String, in quarter: Quarter, on db: any Database) async throws
        -> (name: String, midLevel: Bool)?
    {
        guard
            let secretary = try await Offices.holders(of: .branchSecretary, on: [branch], in: quarter, on: db)[branch],
            let grant = try await RoleGrant.query(on: db).filter(\.$user.$id == secretary.requireID())
                .filter(\.$role == .member).first(),
            let member = try await Unit.query(on: db).filter(\.$code == grant.unitCode).filter(\.$kind == .member)
                .first()
        else { return nil }
        return (member.name, member.holdsMidLevelPost || member.inLeadershipGroup == true)
    }

    /// Each absence without leave of a 局党组成员 on the unit's roster from an activity of the group they sat in that
    /// day (its own record, or the branch's naming the group), in the quarter up to `until`.
    private static func leaderAbsences(
        of unit: String, level: Unit.Kind, among all: [Unit], in quarter: Quarter, until: CalendarDay,
        rosters: Memberships.Rosters, on db: any Database
    ) async throws -> [(member: String, activity: ActivityType, day: CalendarDay)] {
        let during = Set(rosters.during(quarter.firstDay, until))
        let leaders = all.filter { during.contains($0.code) }
        guard !leaders.isEmpty else { return [] }
        let groups = Set(rosters.stretches.map(\.group))
        // A group's meetings are on its own ledger or on its branch's, naming it.
        let branches =
            level == .group
            ? try await Unit.query(on: db).filter(\.$code == unit).all().compactMap(\.parentCode) : []
        let ledgers = [unit] + groups.sorted() + branches
        let records = try await Ledger.records(of: ledgers, year: quarter.year, on: db).filter { record in
            guard let day = CalendarDay(record.date) else { return false }
            return day >= quarter.firstDay && day <= until
        }
        var found: [(member: String, activity: ActivityType, day: CalendarDay)] = []
        for record in records {
            guard let day = CalendarDay(record.date) else { continue }
            let absent = Set(Activity.codes(record.absent))
            let sitting = rosters.on(day)
            for leader in leaders where absent.contains(leader.code) {
                guard let group = sitting.first(where: { $0.value.contains(leader.code) })?.key,
                    record.unitCode == group || record.groupCode == group
                else { continue }
                found.append((leader.name, record.type, day))
            }
        }
        return found
    }
}
