import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 一票否决 (办法 七(二)): events recorded on a member, group or branch. One disqualifies its unit and every unit
/// above it up to the branch for the year of its date; a withdrawn one is kept, with its reason, and counts no more.
enum Vetoes {
    struct Input {
        var veto: String?
        var date: String?
        var reason: String?
        var evidence: [UUID]?
    }

    /// What the API answers and the pages list.
    struct Record: Content {
        let id: UUID
        let unit: String
        let unitName: String
        let veto: String
        let vetoText: String
        let year: Int
        let date: String
        let reason: String
        let evidence: [UUID]
        let recordedBy: String
        let withdrawn: Bool
        let withdrawnReason: String?
        let withdrawnBy: String?
    }

    /// The events a unit's rubric lists (V1…V5), by id.
    static func listed(for kind: Unit.Kind, on db: any Database) async throws -> [Veto] {
        guard let level = kind.rubricLevel, let version = try await RubricStore.latest(level: level, on: db) else {
            return []
        }
        return try RubricStore.rubric(of: version).vetoes
    }

    static func record(_ input: Input, on unit: Unit, by user: User, today: CalendarDay, on db: any Database)
        async throws -> VetoRecord
    {
        try await Policy.requireVetoRecorder(user, on: db)
        guard unit.kind != .general else {
            throw ValidationProblem(field: "unit", rule: "一票否决记在党支部、党小组或党员上，不记在党总支 (a branch, group or member)")
        }
        let listed = try await listed(for: unit.kind, on: db)
        let id = InputText.halfWidth(input.veto ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        guard let veto = listed.first(where: { $0.id == id }) else {
            throw ValidationProblem(
                field: "veto",
                rule: "应为考核细则所列的一票否决事项之一：\(listed.map(\.id).joined(separator: "、")) (one of the rubric's vetoes)")
        }
        guard let day = CalendarDay(InputText.halfWidth(input.date ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw ValidationProblem(field: "date", rule: "应为日期，如 2026-05-03 (a date is required)")
        }
        // A veto of a year before the system's calendar (0001-01-01) is a slip, and would strike a year nobody reads.
        guard day.year >= 2000 else {
            throw ValidationProblem(field: "date", rule: "应为 2000 年以后的日期 (a date from 2000 on)")
        }
        guard day <= today else {
            throw ValidationProblem(field: "date", rule: "不能晚于今天 \(today) (must not be in the future)")
        }
        let reason = (input.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ValidationProblem(field: "reason", rule: "请写明事由 (a reason is required)") }
        let evidence = Array(Set(input.evidence ?? []))
        if !evidence.isEmpty, try await Evidence.query(on: db).filter(\.$id ~~ evidence).count() != evidence.count {
            throw ValidationProblem(field: "evidence", rule: "有的考核依据不存在 (unknown evidence)")
        }
        let record = VetoRecord()
        record.unitCode = unit.code
        record.veto = veto.id
        record.year = day.year
        record.date = day.description
        record.reason = reason
        record.evidence = String(
            decoding: try JSONEncoder().encode(evidence.sorted { $0.uuidString < $1.uuidString }), as: UTF8.self)
        record.recordedBy = user.username
        record.recordedAt = Date()
        try await db.writeTransaction { db in
            try await record.create(on: db)
            try await Results.markVetoes(onChainOf: record.unitCode, in: record.year, on: db)
            try await AuditLog.append(
                on: db, actor: user.username, action: .vetoRecord, subject: .unit(unit.code),
                after: ["veto": veto.id, "date": day.description, "reason": reason])
        }
        return record
    }

    static func withdraw(_ id: UUID?, on unit: Unit, reason rawReason: String?, by user: User, on db: any Database)
        async throws
    {
        try await Policy.requireVetoRecorder(user, on: db)
        guard let id, let record = try await VetoRecord.find(id, on: db), record.unitCode == unit.code else {
            throw Abort(.notFound, reason: "没有这条一票否决记录")
        }
        guard record.inForce else { throw Abort(.conflict, reason: "这条一票否决已撤销 (already withdrawn)") }
        let reason = (rawReason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw ValidationProblem(field: "reason", rule: "请写明撤销理由 (a reason is required)") }
        try await db.writeTransaction { db in
            // Withdrawn only if it is still in force: of two withdrawals at once the second is told (409).
            let withdrawn = try await db.sql.update(VetoRecord.schema)
                .set("withdrawn_reason", to: SQLBind(reason)).set("withdrawn_by", to: SQLBind(user.username))
                .set("withdrawn_at", to: SQLBind(Date()))
                .where("id", .equal, SQLBind(id)).where("withdrawn_at", .is, SQLLiteral.null)
                .returning("id").all()
            guard !withdrawn.isEmpty else { throw Abort(.conflict, reason: "这条一票否决已撤销 (already withdrawn)") }
            try await Results.markVetoes(onChainOf: record.unitCode, in: record.year, on: db)
            try await AuditLog.append(
                on: db, actor: user.username, action: .vetoWithdraw, subject: .unit(unit.code),
                before: ["veto": record.veto, "date": record.date], after: ["reason": reason])
        }
    }

    /// The vetoes recorded on the unit and every unit below it, of one year or of all, newest first.
    static func records(under unit: String, year: Int?, on db: any Database) async throws -> [Record] {
        var query = VetoRecord.query(on: db)
        if let year { query = query.filter(\.$year == year) }
        let all = try await query.sort(\.$date, .descending).all()
        guard !all.isEmpty else { return [] }
        let chains = try await Access.chains(of: all.map(\.unitCode), on: db)
        return try await described(all.filter { chains[$0.unitCode]?.contains(unit) == true }, on: db)
    }

    /// Records as the API answers them: units by name, each event with its text.
    static func described(_ records: [VetoRecord], on db: any Database) async throws -> [Record] {
        let units = try await Unit.query(on: db).all(where: \.$code, in: Set(records.map(\.unitCode)))
        let byCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        // Each event in the words of its unit's own rubric (a member's rubric lists one more).
        var texts: [Unit.Kind: [String: String]] = [:]
        for kind in Set(units.map(\.kind)) {
            texts[kind] = Dictionary(
                try await listed(for: kind, on: db).map { ($0.id, $0.text) },
                uniquingKeysWith: { a, _ in a })
        }
        return try records.map { record in
            let unit = byCode[record.unitCode]
            return Record(
                id: try record.requireID(), unit: record.unitCode, unitName: unit?.name ?? record.unitCode,
                veto: record.veto, vetoText: unit.flatMap { texts[$0.kind]?[record.veto] } ?? record.veto,
                year: record.year, date: record.date, reason: record.reason, evidence: record.evidenceIDs,
                recordedBy: record.recordedBy, withdrawn: !record.inForce, withdrawnReason: record.withdrawnReason,
                withdrawnBy: record.withdrawnBy)
        }
    }

    /// Every unit a veto in force strikes in `year`, with the vetoes' ids: the unit it is recorded on and each
    /// unit above it up to the branch (the general branch is never struck).
    static func struck(in year: Int, on db: any Database) async throws -> [String: [String]] {
        // Every sheet's read asks: a hand-written query.
        try await struck(
            by: db.rows(
                VetoRecord.self,
                """
                SELECT * FROM \(ident: VetoRecord.schema) WHERE year = \(bind: year) AND withdrawn_at IS NULL
                """), on: db)
    }

    /// `struck(in:on:)` of the vetoes in force already read.
    static func struck(by records: [VetoRecord], on db: any Database) async throws -> [String: [String]] {
        guard !records.isEmpty else { return [:] }
        let chains = try await Access.chains(of: records.map(\.unitCode), on: db)
        let units = try await Unit.query(on: db).all(where: \.$code, in: Set(chains.values.joined()))
        let kinds = Dictionary(units.map { ($0.code, $0.kind) }, uniquingKeysWith: { first, _ in first })
        // A veto strikes its own unit; above it, and from a branch down to its groups, only where that level's
        // rubric lists it too (the five events of 七(二)): a level's own extra vetoes stay on that level, and no
        // record can hand a sheet a veto its rubric does not know.
        var listed: [Unit.Kind: Set<String>] = [:]
        for kind in [Unit.Kind.branch, .group, .member] {
            listed[kind] = Set(try await Self.listed(for: kind, on: db).map(\.id))
        }
        func strikes(_ record: VetoRecord, _ kind: Unit.Kind?) -> Bool {
            kind.flatMap { listed[$0] }?.contains(record.veto) == true
        }
        var struck: [String: Set<String>] = [:]
        for record in records {
            for (depth, unit) in (chains[record.unitCode] ?? []).enumerated() where unit != OrgTree.rootCode {
                guard depth == 0 || strikes(record, kinds[unit]) else { continue }
                struck[unit, default: []].insert(record.veto)
            }
        }
        let onBranches = records.filter { kinds[$0.unitCode] == .branch }
        if !onBranches.isEmpty {
            let groups = try await Unit.query(on: db).filter(\.$parentCode ~~ Set(onBranches.map(\.unitCode)))
                .filter(\.$kind == .group).all()
            for group in groups {
                for record in onBranches where record.unitCode == group.parentCode && strikes(record, .group) {
                    struck[group.code, default: []].insert(record.veto)
                }
            }
        }
        return struck.mapValues { $0.sorted() }
    }

}
