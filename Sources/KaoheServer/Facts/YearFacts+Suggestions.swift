import Fluent
import KaoheCore
import Vapor

extension YearFacts {
    /// What a branch's or group's yearly facts imply on its sheet of `quarter` (`FactCheck`), less what entries
    /// already count: read as the quarter ended, or today while it runs.
    static func suggestions(
        for unitCode: String, quarter: Quarter, rubric: Rubric, entries: [SheetEntry], today: CalendarDay,
        on db: any Database
    ) async throws -> [Suggestion] {
        guard let policy = rubric.facts,
            let unit = try await Unit.query(on: db).filter(\.$code == unitCode).first(),
            unit.kind == .branch || unit.kind == .group
        else { return [] }
        let asOf = min(quarter.lastDay, today)
        let yearly =
            quarter.quarter == policy.quarter
            && (policy.appraisal != nil || policy.review != nil || policy.satisfaction != nil)
        let rosters = yearly || policy.leaderAbsence != nil ? try await Ledger.rosters(of: unit, on: db) : nil
        // A member's result counts for the unit whose roster holds them when the quarter ends (or today).
        let members = yearly ? (rosters?.on(asOf).values.flatMap { $0 } ?? []) : []
        let kept = try await YearFact.query(on: db).filter(\.$year == quarter.year)
            .filter(\.$unitCode ~~ ([unit.code] + members)).all()
        let names = try await Unit.names(of: members, on: db)

        var facts = FactCheck.Facts()
        if yearly {
            for fact in kept where fact.slot.isEmpty {
                let name = names[fact.unitCode] ?? fact.unitCode
                switch fact.kind {
                case .appraisal:
                    if let result = AppraisalResult(rawValue: fact.value) { facts.appraisals.append((name, result)) }
                case .review:
                    if let result = ReviewResult(rawValue: fact.value) { facts.reviews.append((name, result)) }
                case .satisfaction where fact.unitCode == unit.code: facts.satisfaction = Decimal(string: fact.value)
                default: break
                }
            }
        }
        facts.findings = kept.filter { $0.kind == .finding && $0.unitCode == unit.code }.compactMap { fact in
            guard let day = fact.day.flatMap(CalendarDay.init), day <= asOf,
                let finding = AuditFinding(rawValue: fact.value)
            else { return nil }
            return (day, finding, fact.note ?? "")
        }
        if policy.secretaryPost != nil, unit.kind == .branch {
            facts.secretary = try await secretaryPost(of: unit, in: quarter, on: db)
        }
        if policy.leaderAbsence != nil, let rosters {
            facts.leaderAbsences = try await leaderAbsences(
                of: unit, in: quarter, until: asOf, rosters: rosters, on: db)
        }
        return FactCheck.findings(in: quarter, policy: policy, thresholds: rubric.thresholds, facts: facts)
            .compactMap {
                Suggestion.remaining($0.rule, found: $0.count, reason: $0.reason, rubric: rubric, entries: entries)
            }
    }

    /// The secretary in office for most of the quarter and whether their member record holds a 中层 post (a
    /// 局党组成员 is above one); nil when no secretary is on record or their account names no member (`member` grant).
    private static func secretaryPost(of branch: Unit, in quarter: Quarter, on db: any Database) async throws
        -> (name: String, midLevel: Bool)?
    {
        guard
            let secretary = try await Offices.holders(of: .branchSecretary, on: [branch.code], in: quarter, on: db)[
                branch.code],
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
        of unit: Unit, in quarter: Quarter, until: CalendarDay, rosters: Memberships.Rosters, on db: any Database
    ) async throws -> [(member: String, activity: ActivityType, day: CalendarDay)] {
        let during = rosters.during(quarter.firstDay, until)
        guard !during.isEmpty else { return [] }
        let leaders = try await Unit.query(on: db).filter(\.$code ~~ during).filter(\.$inLeadershipGroup == true).all()
        guard !leaders.isEmpty else { return [] }
        let groups = Set(rosters.stretches.map(\.group))
        let ledgers = [unit.code] + groups.sorted() + (unit.kind == .group ? [unit.parentCode].compactMap { $0 } : [])
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
