import Fluent
import KaoheCore

extension DemoBureau {
    /// 2026's ledgers, January to September, of every branch and group, kept as the 细则 asks, with the gaps that
    /// make the third quarter's sheets and the compliance view worth reading:
    /// - 第一支部 held no 支委会 in the third quarter (its secretary entered 2.1.a × 3 already): behind on the year;
    /// - 第二支部 skipped two Wednesday study days in August (2.2.b × 2) and sent no information report (2.10.a);
    /// - 第三支部 held two 支委会 of three in the quarter: behind on the year, not yet short;
    /// - 第四支部 handed no dues over in September (2.8.a, see `dues`) and its second group held no 组织活动 (2.1.a);
    /// and the year's 民主生活会 and second visit are still to come everywhere (the pace, not a deduction);
    /// 刘党员 (第一支部第一党小组) missed the third quarter's 党员大会 without leave: his own sheet is offered 1.1.a.
    /// Each branch's secretary marked the first quarter complete: the ledger counts from January.
    static var activities: [(unit: String, user: String, record: Ledger.Input)] {
        var records: [(String, String, Ledger.Input)] = []
        func add(
            _ unit: String, _ user: String, _ type: ActivityType, _ month: Int, _ day: Int, _ topic: String,
            _ attendees: [String], absent: [String] = [], excused: [String] = []
        ) {
            let date = CalendarDay(year: 2026, month: month, day: day)!.description
            records.append(
                (
                    unit, user,
                    Ledger.Input(
                        type: type.rawValue, date: date, topic: topic, attendees: attendees,
                        absent: absent, excused: excused)
                ))
        }
        for b in 1...4 {
            let (branch, user) = ("branch-\(b)", "zhibu\(b)")
            // Members by code: 3 in each of the branch's two groups.
            let members = (1...2).flatMap { g in (1...3).map { "\(branch)-group-\(g)-member-\($0)" } }
            let committee = Array(members.prefix(3))
            for month in 1...9 where !(b == 1 && month >= 7) && !(b == 3 && month == 9) {
                add(branch, user, .committeeMeeting, month, 6, "研究\(month)月支部工作", committee)
            }
            for q in 1...3 {
                // 第一支部's 刘党员 missed the third quarter's meeting without leave; another member was on leave.
                add(
                    branch, user, .memberMeeting, q * 3 - 2, 8, "第\(["一", "二", "三"][q - 1])季度党员大会",
                    members.filter { !(b == 1 && q == 3 && $0 == members[2]) && !(q == 2 && $0 == members[5]) },
                    absent: b == 1 && q == 3 ? [members[2]] : [], excused: q == 2 ? [members[5]] : [])
                add(
                    branch, user, .partyLecture, q * 3 - 1, 12,
                    [
                        "书记讲党课：学思想、强党性", "专题党课：弘扬清廉家风",
                        "书记讲党课：作风建设永远在路上",
                    ][q - 1], members)
                if !(b == 2 && q == 3) {
                    add(branch, user, .infoReport, q * 3, 22, "第\(["一", "二", "三"][q - 1])季度党建工作信息", [])
                }
            }
            add(branch, user, .democraticLife, 1, 20, "2025年度组织生活会", members)
            add(branch, user, .visit, 2, 5, "春节走访慰问困难党员", committee)
            add(branch, user, .ideologyAnalysis, 6, 18, "上半年党员干部职工思想状况分析", committee)
            add(branch, user, .talk, 4, 15, "上半年谈心谈话", committee)
            add(branch, user, .talk, 9, 9, "下半年谈心谈话", committee)
            var wednesday = CalendarDay(year: 2026, month: 1, day: 7)!
            while wednesday <= CalendarDay(year: 2026, month: 9, day: 30)! {
                let skipped = b == 2 && ["2026-08-12", "2026-08-19"].contains(wednesday.description)
                if !skipped {
                    add(branch, user, .studySession, wednesday.month, wednesday.day, "周三固定学习日", members)
                }
                wednesday = wednesday.adding(days: 7)
            }
            for g in 1...2 {
                let group = "\(branch)-group-\(g)"
                let recorder = group == "branch-1-group-1" ? "xiaozu1" : user
                let people = Array(members[(g - 1) * 3..<g * 3])  // the group's own three
                for month in 1...9 {
                    add(group, recorder, .duesHandover, month, 5, "\(month)月党费收缴上交支部", [])
                    add(
                        group, recorder, .groupMeeting, month, 18, "党小组\(month)月集中学习",
                        month == 9 ? Array(people.prefix(2)) : people, excused: month == 9 ? [people[2]] : [])
                }
                for q in 1...3 where !(b == 4 && g == 2 && q == 3) {
                    add(
                        group, recorder, .branchActivity, q * 3 - 1, 25, ["植树志愿活动", "赴革命纪念馆开展主题党日", "志愿服务进社区"][q - 1],
                        people)
                }
            }
        }
        return records
    }

    /// 2026's dues, January to September: every member pays 50 元 by the 5th and signs; each branch hands the month
    /// over by the 10th (第三支部 July on the 15th, still in time) — except 第四支部 in September, not yet handed
    /// over, and 第一支部's 冯静 who paid nothing in August (2.8.a on the branch's sheet, 3.1.a on hers).
    static var dues: [(unit: String, user: String, month: String, input: DuesLedger.Input)] {
        (1...4).flatMap { b in
            (1...9).map { month in
                let code = "2026-0\(month)"
                let members = (1...2).flatMap { g in (1...3).map { "branch-\(b)-group-\(g)-member-\($0)" } }
                let payments = members.filter { !(b == 1 && month == 8 && $0 == "branch-1-group-2-member-3") }.map {
                    DuesLedger.Input.Payment(
                        member: $0, amount: .init(text: "50"), due: .init(text: "50"),
                        paidOn: "\(code)-05", signed: true)
                }
                let handed: String? = b == 4 && month == 9 ? nil : "\(code)-\(b == 3 && month == 7 ? 15 : 10)"
                return (
                    "branch-\(b)", "zhibu\(b)", code,
                    DuesLedger.Input(payments: payments, handedOverOn: handed, version: nil)
                )
            }
        }
    }

    /// 细则 2.3: each branch's plans of 2026, reported in January — 第三支部's 学习教育计划 only on 10 February, late,
    /// and 第四支部's 党员发展计划 not at all; the year's summaries are still to come.
    static var documents: [(unit: String, user: String, input: Documents.Input)] {
        (1...4).flatMap { b in
            [DocumentKind.workPlan, .studyPlan, .developmentPlan, .cohesionPlan].compactMap { kind in
                if b == 4 && kind == .developmentPlan { return nil }
                let day = b == 3 && kind == .studyPlan ? "2026-02-10" : "2026-01-2\(b)"
                return (
                    "branch-\(b)", "zhibu\(b)",
                    Documents.Input(kind: kind.rawValue, year: 2026, submittedOn: day, title: nil)
                )
            }
        }
    }

    /// Records the year in one transaction, each record checked as one made by hand; a unit's records are written
    /// in one statement with one audit event, as an import is (every test of the demo pays for them).
    static func recordDemoLedger(on db: any Database) async throws {
        let units = Dictionary(uniqueKeysWithValues: try await Unit.query(on: db).all().map { ($0.code, $0) })
        let today = CalendarDay("2026-09-30")!
        var byUnit: [String: [Activity]] = [:]
        var rosters: [String: Memberships.Rosters] = [:]
        var groups: [String: Set<String>] = [:]
        for (code, user, record) in activities {
            guard let unit = units[code] else { continue }
            if rosters[code] == nil { rosters[code] = try await Ledger.rosters(of: unit, on: db) }
            if groups[code] == nil { groups[code] = Set(try await Unit.groups(of: code, on: db).map(\.code)) }
            byUnit[code, default: []].append(
                try Ledger.checked(
                    record, for: unit, actor: user, today: today, rosters: rosters[code] ?? .init(stretches: []),
                    groups: groups[code] ?? []))
        }
        let checked = byUnit
        // The demo's secretaries keep their own books: each write asks Policy for their permit, as a route does.
        @Sendable func secretary(_ username: String, on db: any Database) async throws -> User {
            guard let user = try await User.query(on: db).filter(\.$username == username).first() else {
                throw FluentError.noResults
            }
            return user
        }
        try await db.writeTransaction { db in
            for (code, records) in checked.sorted(by: { $0.key < $1.key }) {
                try await records.create(on: db)
                try await AuditLog.append(
                    on: db, actor: records.first?.createdBy ?? "demo", action: .activityRecord,
                    subject: .unit(code), after: ["imported": "\(records.count)", "source": "demo"])
            }
            for (code, user, month, input) in dues {
                guard let unit = units[code], let first = CalendarDay(month + "-01") else { continue }
                let permit = try await Policy.duesKeeper(try await secretary(user, on: db), of: unit, on: db)
                _ = try await DuesLedger.save(input, month: first, by: permit, today: today, on: db)
            }
            for (code, user, input) in documents {
                guard let unit = units[code] else { continue }
                let permit = try await Policy.ledgerRecorder(try await secretary(user, on: db), of: unit, on: db)
                _ = try await Documents.record(input, by: permit, today: today, on: db)
            }
            for b in 1...4 {
                guard let unit = units["branch-\(b)"] else { continue }
                let permit = try await Policy.ledgerRecorder(try await secretary("zhibu\(b)", on: db), of: unit, on: db)
                try await Ledger.markComplete(Quarter(code: "2026Q1")!, by: permit, on: db)
            }
            // The activities above were written in bulk, not one by one.
            try await KeptLedgerYear.recountAll(on: db)
        }
    }
}
