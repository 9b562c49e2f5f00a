import Fluent
import Foundation
import KaoheCore
import Vapor

/// The size of a synthetic bureau system: branches under the general branch, groups a branch, members a group.
public struct BureauShape: Sendable, Equatable {
    public var branches: Int
    public var groupsPerBranch: Int
    public var membersPerGroup: Int

    public init(branches: Int, groupsPerBranch: Int = 5, membersPerGroup: Int = 10) {
        self.branches = branches
        self.groupsPerBranch = groupsPerBranch
        self.membersPerGroup = membersPerGroup
    }

    var groups: Int { branches * groupsPerBranch }
    var members: Int { groups * membersPerGroup }
    /// Every unit but the general branch: one sheet each a quarter.
    var sheetsPerQuarter: Int { branches + groups + members }
}

/// How far long work has got: the step, and how much of it is done.
public struct WorkProgress: Sendable {
    public let step: String
    public let done: Int
    public let total: Int
}

/// What `kaohe generate` made.
public struct GeneratedBureau: Sendable, CustomStringConvertible {
    public var units = 0, users = 0, sheets = 0, entries = 0, activities = 0

    public var description: String {
        "\(units) 个组织 units, \(users) 个用户 users, \(sheets) 张考核表 sheets, \(entries) 条记录 entries, \(activities) 条台账 activities"
    }
}

extension KaoheServerApp {
    /// `kaohe generate` (contracts/api.md "Operations"): fills the configured empty database with a synthetic bureau
    /// system for benchmarks.
    public static func generate(
        settings: Settings, shape: BureauShape,
        progress: @escaping @Sendable (WorkProgress) -> Void
    ) async throws -> GeneratedBureau {
        var made = GeneratedBureau()
        try await withApplication(settings: settings) { app in
            try await app.autoMigrate()
            made = try await SyntheticBureau(shape: shape, progress: progress).generate(on: app)
        }
        return made
    }
}

/// A bureau system of any size with the demo's codes: `general` → `branch-N` → `branch-N-group-G` → members;
/// the demo's general-branch users and one secretary a branch (`zhibu-N`); 2026Q1–Q3 published with entries at all
/// three levels, scored by KaoheCore as publication scores them; 2026Q4 open; and the year's ledger. Rows are written
/// a batch to a statement, in one transaction, with one audit event that says what was generated: a benchmark's
/// data, not anybody's history.
struct SyntheticBureau {
    let shape: BureauShape
    let progress: @Sendable (WorkProgress) -> Void
    static let actor = "generate"
    static let year = 2026
    /// Units whose sheets are written together: enough for full batches, few enough to hold in memory.
    static let chunk = 2_000

    func generate(on app: Application) async throws -> GeneratedBureau {
        guard shape.branches >= 1, shape.groupsPerBranch >= 1, shape.membersPerGroup >= 1 else {
            throw SettingsError("--branches、--groups-per-branch、--members-per-group 都应至少为 1 (each must be at least 1)")
        }
        try await RubricStore.installShipped(from: app.kaoheSettings.rubricsDirectory, logger: app.logger, on: app.db)
        guard try await Unit.query(on: app.db).count() == 0, try await Period.query(on: app.db).count() == 0 else {
            throw SettingsError("数据库不是空的：generate 只填充新的空数据库 (the database already holds a bureau; use an empty one)")
        }
        let shipped = try await RubricStore.latest(level: .branch, key: "bureau-branch", on: app.db)
        let anyBranchRubric = try await RubricStore.latest(level: .branch, on: app.db)
        guard let branchRubric = shipped ?? anyBranchRubric else {
            throw SettingsError("尚无考核党支部的细则 (no branch rubric: set KAOHE_RUBRICS_DIR)")
        }
        let rubrics = Period.Rubrics(
            branch: branchRubric,
            group: try await RubricStore.latest(level: .group, on: app.db),
            member: try await RubricStore.latest(level: .member, on: app.db))
        let admin = try await adminIfFirst(app)
        let hash = try await app.password.async.hash(DemoBureau.password)
        let made = try await app.db.writeTransaction { db in
            var made = GeneratedBureau()
            let units = units()
            let stretches = transfers(units)
            try await write(units, step: "组织 units", on: db)
            try await write(stretches, step: "组织关系 memberships", on: db)
            made.units = units.count
            made.users = try await users(passwordHash: hash, on: db) + (admin ? 1 : 0)
            for number in 1...4 {
                let (sheets, entries) = try await quarter(
                    Quarter(year: Self.year, quarter: number)!, units: units, rubrics: rubrics, on: db)
                made.sheets += sheets
                made.entries += entries
            }
            made.activities = try await ledger(units, stretches: stretches, on: db)
            try await KeptLedgerYear.recountAll(on: db) { done, total in
                progress(WorkProgress(step: "台账 ledgers", done: done, total: total))
            }
            try await AuditLog.append(
                on: db, actor: Self.actor, action: .bureauGenerate, subject: .unit(OrgTree.rootCode),
                after: [
                    "branches": shape.branches, "groupsPerBranch": shape.groupsPerBranch,
                    "membersPerGroup": shape.membersPerGroup, "sheets": made.sheets, "entries": made.entries,
                ])
            return made
        }
        progress(WorkProgress(step: "统计信息 statistics", done: 0, total: 1))
        try await app.db.refreshStatistics()
        progress(WorkProgress(step: "统计信息 statistics", done: 1, total: 1))
        return made
    }

    /// The admin from `KAOHE_ADMIN_PASSWORD`, as the first start makes it, when the database has no users yet.
    private func adminIfFirst(_ app: Application) async throws -> Bool {
        guard let password = app.kaoheSettings.adminPassword, try await User.query(on: app.db).count() == 0 else {
            return false
        }
        do {
            try await Accounts.create(
                username: "admin", displayName: "系统管理员", password: password,
                roles: [(Role.admin.rawValue, OrgTree.rootCode)], actor: "system", on: app)
        } catch let problem as Accounts.Problem {
            throw SettingsError("KAOHE_ADMIN_PASSWORD: \(problem.description)")
        }
        return true
    }

    // MARK: The tree and its people

    func units() -> [Unit] {
        var units = [Unit(code: OrgTree.rootCode, name: "机关党总支", kind: .general, parentCode: nil)]
        units.reserveCapacity(1 + shape.sheetsPerQuarter)
        var person = 0
        for b in 1...shape.branches {
            let branch = "branch-\(b)"
            units.append(
                Unit(code: branch, name: "第\(b)党支部", kind: .branch, parentCode: OrgTree.rootCode, sortOrder: b))
            for g in 1...shape.groupsPerBranch {
                let group = "\(branch)-group-\(g)"
                units.append(
                    Unit(code: group, name: "第\(b)党支部第\(g)党小组", kind: .group, parentCode: branch, sortOrder: g))
                for m in 1...shape.membersPerGroup {
                    let first = g == 1 && m == 1
                    units.append(
                        Unit(
                            code: "\(group)-member-\(m)", name: Self.name(person), kind: .member, parentCode: group,
                            sortOrder: m, position: first ? "科长、支部书记" : "科员",
                            joinedOn: "\(1990 + person % 35)-\(String(format: "%02d", 1 + person % 12))-01",
                            holdsMidLevelPost: first))
                    person += 1
                }
            }
        }
        return units
    }

    /// 百家姓 × 名: a name for every member, repeating only after 2,000 people.
    static func name(_ index: Int) -> String {
        let family = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
        let given = [
            "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
            "霞", "平", "刚", "桂英", "华", "建国", "红", "晓东", "文", "斌", "宇", "欣", "婷", "浩", "鑫", "健", "玲", "波",
            "海燕", "志强", "丹", "凯",
        ]
        return String(family[index % family.count]) + given[(index / family.count) % given.count]
    }

    /// The demo's general-branch users beside one secretary a branch, all with the demo's password.
    private func users(passwordHash: String, on db: any Database) async throws -> Int {
        let general = DemoBureau.users.filter { $0.unit == OrgTree.rootCode && $0.role != .admin }
            .map { (username: $0.username, displayName: $0.displayName, role: $0.role, unit: $0.unit) }
        let secretaries = (1...shape.branches).map {
            (username: "zhibu-\($0)", displayName: "第\($0)党支部书记", role: Role.branchSecretary, unit: "branch-\($0)")
        }
        let people = general + secretaries
        let users = people.map {
            User(id: UUID(), username: $0.username, displayName: $0.displayName, passwordHash: passwordHash)
        }
        try await write(users, step: "用户 users", on: db)
        let grants = try zip(users, people).map {
            try RoleGrant(userID: $0.requireID(), role: $1.role, unitCode: $1.unit)
        }
        try await grants.create(on: db, inBatchesOf: 500)
        return users.count
    }

    // MARK: The quarters

    /// One quarter's sheets: published with their entries and scores for 2026Q1–Q3, open in draft for 2026Q4.
    private func quarter(_ quarter: Quarter, units: [Unit], rubrics: Period.Rubrics, on db: any Database) async throws
        -> (sheets: Int, entries: Int)
    {
        let period = try Period(quarter, rubrics: rubrics, deadlines: .init(), actor: Self.actor)
        let published = quarter.quarter < 4
        let publishedOn = CalendarDay(period.panelDeadline)?.adding(days: 7)
        if published {
            period.state = .published
            period.publishedOn = publishedOn?.description
            period.publishedAt = Date()
        }
        try await period.create(on: db)
        let versions: [Unit.Kind: RubricVersion] = [
            .branch: rubrics.branch, .group: rubrics.group, .member: rubrics.member,
        ]
        .compactMapValues { $0 }
        let parsed = try versions.mapValues { try RubricStore.rubric(of: $0) }
        let assessed = units.filter { versions[$0.kind] != nil }
        let above = try await PlacesThen.above(assessed, in: quarter, on: db)
        var synthetic = SyntheticEntries(seed: UInt64(quarter.quarter))
        var entries = 0
        var start = 0
        while start < assessed.count {
            let slice = assessed[start..<min(start + Self.chunk, assessed.count)]
            var sheets: [Sheet] = []
            var rows: [SheetEntry] = []
            for unit in slice {
                let sheet = try Sheet(
                    draftOf: unit, in: period, rubric: versions[unit.kind]!, above: above[unit.code])
                let rubric = parsed[unit.kind]!
                let made = try synthetic.entries(for: rubric.level, rubric: rubric, finished: published).map { made in
                    try SheetEntry(
                        made.entry, details: .init(source: made.byPanel ? .panelInspection : .records), on: sheet,
                        stage: made.byPanel ? .panel : .selfAssessment, actor: made.byPanel ? "kaohe1" : Self.actor)
                }
                if published, let publishedOn {
                    let selfReport = UnitReport(
                        try Sheets.score(sheet, entries: made.filter { $0.stage == .selfAssessment }, rubric: rubric))
                    let finalReport = UnitReport(try Sheets.score(sheet, entries: made, rubric: rubric))
                    sheet.selfScore = String(decoding: try JSONEncoder().encode(selfReport), as: UTF8.self)
                    sheet.publishedScore = String(decoding: try JSONEncoder().encode(finalReport), as: UTF8.self)
                    sheet.submittedAt = Date()
                    sheet.publishedOn = publishedOn.description
                    sheet.state = SheetState.published
                }
                sheets.append(sheet)
                rows += made
            }
            try await sheets.create(on: db, inBatchesOf: 500)
            try await rows.create(on: db, inBatchesOf: 500)
            entries += rows.count
            start += slice.count
            progress(WorkProgress(step: "\(quarter.code) 考核表 sheets", done: start, total: assessed.count))
        }
        if published {
            // As a publication keeps them: the boards and the API serve these rows as stored from the first reading.
            for level in [Unit.Kind.branch, .group, .member] where versions[level] != nil {
                try await Results.store(period, level: level, on: db)
            }
        }
        try await AuditLog.append(
            on: db, actor: Self.actor, action: .periodOpen, subject: .period(quarter.code),
            after: ["selfDeadline": period.selfDeadline, "panelDeadline": period.panelDeadline])
        return (assessed.count, entries)
    }

    // MARK: The ledger

    /// The year's ledger up to November: each branch's 支委会 and 党费 monthly, 党员大会, 党课 and 信息 each quarter;
    /// each group's 党小组会 monthly, with its members on the roster of the day (by code) as attendees.
    private func ledger(_ units: [Unit], stretches: [Membership], on db: any Database) async throws -> Int {
        let children = Dictionary(grouping: units, by: { $0.parentCode ?? "" })
        let rosterOn = Self.rosters(units, stretches: stretches)
        var rosters: [String: [String: [String]]] = [:]
        func members(of group: String, on day: String) -> [String] {
            if rosters[day] == nil { rosters[day] = rosterOn(day) }
            return rosters[day]?[group] ?? []
        }
        func date(_ month: Int, _ day: Int) -> String {
            "\(Self.year)-\(String(format: "%02d", month))-\(String(format: "%02d", day))"
        }
        let hosts = units.filter { $0.kind == .branch || $0.kind == .group }
        var batch: [Activity] = []
        var written = 0
        func record(_ unit: Unit, _ type: ActivityType, month: Int, day: Int, topic: String, attendees: [String]) {
            let activity = Activity()
            activity.unitCode = unit.code
            activity.type = type
            activity.date = date(month, day)
            activity.topic = topic
            activity.attendees = attendees.joined(separator: "\n")
            activity.absent = ""
            activity.excused = ""
            activity.createdBy = Self.actor
            activity.withdrawn = false
            batch.append(activity)
        }
        for (index, unit) in hosts.enumerated() {
            if unit.kind == .group {
                for month in 1...11 {
                    record(
                        unit, .groupMeeting, month: month, day: 18, topic: "党小组集中学习",
                        attendees: members(of: unit.code, on: date(month, 18)))
                }
            } else {
                func everyone(_ month: Int, _ day: Int) -> [String] {
                    children[unit.code, default: []].flatMap { members(of: $0.code, on: date(month, day)) }
                }
                for month in 1...11 {
                    record(
                        unit, .committeeMeeting, month: month, day: 5, topic: "研究本月工作",
                        attendees: Array(everyone(month, 5).prefix(5)))
                    record(unit, .duesHandover, month: month, day: 10, topic: "\(month)月党费上交", attendees: [])
                }
                for month in [1, 4, 7, 10] {
                    record(
                        unit, .memberMeeting, month: month, day: 8, topic: "学习贯彻党的二十届四中全会精神",
                        attendees: everyone(month, 8))
                    record(
                        unit, .partyLecture, month: month + 1, day: 12, topic: "书记讲党课",
                        attendees: everyone(month + 1, 12))
                    record(unit, .infoReport, month: month + 2, day: 22, topic: "支部活动信息", attendees: [])
                }
            }
            if batch.count >= Self.chunk || index == hosts.count - 1 {
                try await batch.create(on: db, inBatchesOf: 500)
                written += batch.count
                batch.removeAll(keepingCapacity: true)
                progress(WorkProgress(step: "台账 activities", done: index + 1, total: hosts.count))
            }
        }
        return written
    }

    /// Rows written a batch at a time, saying how far it got.
    private func write<M: Model>(_ rows: [M], step: String, on db: any Database) async throws {
        var start = 0
        while start < rows.count {
            let end = min(start + Self.chunk, rows.count)
            try await Array(rows[start..<end]).create(on: db, inBatchesOf: 500)
            start = end
            progress(WorkProgress(step: step, done: start, total: rows.count))
        }
    }
}
