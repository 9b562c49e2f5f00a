import Fluent
import KaoheCore
import Vapor

/// The demo bureau of `contracts/api.md`: 机关党总支 with four branches, two groups each and their
/// members, and one user for every role. Only `kaohe serve --demo` ever creates it.
enum DemoBureau {
    static let password = "kaohe-demo"
    static let rootUnit = OrgTree.rootCode
    static let actor = "demo"

    struct DemoUser {
        let username: String
        let displayName: String
        let role: Role
        let unit: String
    }

    static let users: [DemoUser] = [
        DemoUser(username: "admin", displayName: "系统管理员", role: .admin, unit: rootUnit),
        DemoUser(username: "zuzhi", displayName: "周组织（组织委员）", role: .organizer, unit: rootUnit),
        DemoUser(username: "kaohe1", displayName: "高考核（考核小组组长）", role: .panelLeader, unit: rootUnit),
        DemoUser(username: "kaohe2", displayName: "何考评（考核小组成员）", role: .panelMember, unit: rootUnit),
        DemoUser(username: "shuji", displayName: "孙书记（总支书记）", role: .approver, unit: rootUnit),
        DemoUser(username: "fushuji", displayName: "傅副书记（总支副书记）", role: .deputySecretary, unit: rootUnit),
        DemoUser(username: "zhibu1", displayName: "张一（第一支部书记）", role: .branchSecretary, unit: "branch-1"),
        DemoUser(username: "zhibu2", displayName: "王二（第二支部书记）", role: .branchSecretary, unit: "branch-2"),
        DemoUser(username: "zhibu3", displayName: "李三（第三支部书记）", role: .branchSecretary, unit: "branch-3"),
        DemoUser(username: "zhibu4", displayName: "赵四（第四支部书记）", role: .branchSecretary, unit: "branch-4"),
        DemoUser(username: "xiaozu1", displayName: "陈小组（第一支部第一党小组长）", role: .groupLeader, unit: "branch-1-group-1"),
        DemoUser(username: "dangyuan1", displayName: "刘党员", role: .member, unit: "branch-1-group-1"),
    ]

    /// 刘党员 is also held as a member on his own member unit, so that he reads his own sheet (DESIGN.md roles).
    static let ownSheets = ["dangyuan1": "branch-1-group-1-member-3"]

    static let branchNames = ["机关第一党支部", "机关第二党支部", "机关第三党支部", "机关第四党支部"]
    static let groupNames = ["第一党小组", "第二党小组"]
    /// Three members a group; the first of each branch's first group holds a 中层 post (细则 (六)1).
    static let memberNames = [
        "张一", "陈小组", "刘党员", "吴敏", "郑华", "冯静",
        "王二", "褚立", "卫平", "蒋欣", "沈琳", "韩涛",
        "李三", "杨帆", "朱红", "秦川", "尤佳", "许亮",
        "赵四", "何晴", "吕明", "施展", "孔丽", "曹阳",
    ]

    /// The org tree: general → branch-N → branch-N-group-M → branch-N-group-M-member-K.
    static func units() -> [Unit] {
        var units = [Unit(code: rootUnit, name: "机关党总支", kind: .general, parentCode: nil)]
        var names = memberNames.makeIterator()
        for (b, branchName) in branchNames.enumerated() {
            let branch = "branch-\(b + 1)"
            units.append(Unit(code: branch, name: branchName, kind: .branch, parentCode: rootUnit, sortOrder: b + 1))
            for (g, groupName) in groupNames.enumerated() {
                let group = "\(branch)-group-\(g + 1)"
                units.append(
                    Unit(code: group, name: branchName + groupName, kind: .group, parentCode: branch, sortOrder: g + 1))
                for k in 1...3 {
                    let first = g == 0 && k == 1
                    units.append(
                        Unit(
                            code: "\(group)-member-\(k)", name: names.next() ?? "党员", kind: .member, parentCode: group,
                            sortOrder: k, position: first ? "科长、支部书记" : "科员",
                            joinedOn: "20\(10 + b + g)-0\(k)-01", holdsMidLevelPost: first))
                }
            }
        }
        return units
    }

    static func seed(on app: Application) async throws {
        // Every demo user shares one password, so one Bcrypt hash serves them all.
        let hash = try await app.password.async.hash(password)
        try await app.db.writeTransaction { db in
            for unit in units() {
                try await OrgTree.create(unit, actor: actor, on: db)
            }
            for user in users {
                try await Accounts.create(
                    username: user.username, displayName: user.displayName, passwordHash: hash,
                    roles: [(user.role.rawValue, user.unit)]
                        + (ownSheets[user.username].map { [(Role.member.rawValue, $0)] } ?? []),
                    actor: actor, on: db)
            }
            try await openDemoQuarter(on: db)
            try await recordDemoLedger(on: db)
        }
    }

    /// 2026Q3 open for self-assessment on the seed's rubric, with a few entries already made.
    static let quarter = Quarter(code: "2026Q3")!

    /// A trial starts with time to try things: the self-report is due a week after the demo's first start and the
    /// panel a week later, so that 已逾期 means something (the rubric's days for 2026Q3 are long past).
    static func deadlines(firstStarted today: CalendarDay = BureauCalendar.today()) -> SheetDeadlines.Chosen {
        SheetDeadlines.Chosen(selfReport: today.adding(days: 7), panelReview: today.adding(days: 14))
    }

    static let entries: [(unit: String, user: String, entry: Entry)] = [
        ("branch-1", "zhibu1", Entry(rule: "2.1.a", count: 3, note: "第三季度支委会少开3次")),
        (
            "branch-1", "zhibu1",
            Entry(
                rule: "2.9.b", points: 1, caseText: "2026年8月获市直机关工委党建知识竞赛三等奖",
                note: "按细则 2.9 加分，获奖通报已作为考核依据上传")
        ),
        ("branch-2", "zhibu2", Entry(rule: "1.4.a", points: Decimal(string: "3.5")!, note: "上级交办的调研任务未按期完成")),
        (
            "branch-3", "zhibu3",
            Entry(rule: "2.8.a", count: 1, note: "7月党费迟交", selfFound: true, corrected: true, mitigation: .reduced)
        ),
    ]

    private static func openDemoQuarter(on db: any Database) async throws {
        guard try await RubricVersion.query(on: db).filter(\.$key == "bureau-branch").count() > 0 else { return }
        let period = try await Sheets.open(
            quarter, branchRubricKey: "bureau-branch", deadlines: deadlines(), actor: actor, on: db)
        for (unit, user, entry) in entries {
            guard
                let sheet = try await Sheet.query(on: db).filter(\.$period.$id == period.requireID())
                    .filter(\.$unitCode == unit).first()
            else { continue }
            try await Sheets.add(
                entry, to: sheet, stage: .selfAssessment, actor: user,
                rubric: try await RubricStore.rubric(id: sheet.$rubric.id, on: db), on: db)
        }
    }
}
