import Fluent
import KaoheCore

extension DemoBureau {
    /// The third quarter's ledgers of two branches, so the sheets show what the records imply: 第一支部 held no
    /// 支委会 (its secretary already entered 2.1.a × 3), 第三支部 held two of three (suggested: 2.1.a × 1).
    static let activities: [(unit: String, user: String, record: Ledger.Input)] = {
        let branch1 = ["张一", "陈小组", "刘党员", "吴敏", "郑华", "冯静"]
        let group1 = ["张一", "陈小组", "刘党员"]
        let branch3 = ["李三", "杨帆", "朱红", "秦川", "尤佳", "许亮"]
        func record(_ type: ActivityType, _ date: String, _ topic: String, _ attendees: [String], absent: [String] = []) -> Ledger.Input {
            Ledger.Input(type: type.rawValue, date: date, topic: topic, attendees: attendees, absent: absent)
        }
        return [
            ("branch-1", "zhibu1", record(.memberMeeting, "2026-07-08", "学习贯彻党的二十届四中全会精神", branch1)),
            ("branch-1", "zhibu1", record(.partyLecture, "2026-08-12", "书记讲党课：作风建设永远在路上", branch1)),
            ("branch-1", "zhibu1", record(.branchActivity, "2026-09-16", "赴革命纪念馆开展主题党日活动", branch1)),
            ("branch-1", "zhibu1", record(.duesHandover, "2026-07-10", "7月党费上交", [])),
            ("branch-1", "zhibu1", record(.duesHandover, "2026-08-10", "8月党费上交", [])),
            ("branch-1", "zhibu1", record(.duesHandover, "2026-09-10", "9月党费上交", [])),
            ("branch-1", "zhibu1", record(.infoReport, "2026-09-22", "支部主题党日活动信息", [])),
            ("branch-1-group-1", "xiaozu1", record(.groupMeeting, "2026-07-20", "学习《中国共产党纪律处分条例》", group1)),
            ("branch-1-group-1", "xiaozu1", record(.groupMeeting, "2026-08-18", "交流学习体会", group1)),
            ("branch-1-group-1", "xiaozu1", record(.groupMeeting, "2026-09-21", "党员互评", Array(group1.prefix(2)), absent: ["刘党员"])),
            ("branch-3", "zhibu3", record(.memberMeeting, "2026-07-09", "学习贯彻党的二十届四中全会精神", branch3)),
            ("branch-3", "zhibu3", record(.committeeMeeting, "2026-07-03", "研究第三季度工作安排", Array(branch3.prefix(3)))),
            ("branch-3", "zhibu3", record(.committeeMeeting, "2026-08-05", "研究发展党员工作", Array(branch3.prefix(3)))),
            ("branch-3", "zhibu3", record(.partyLecture, "2026-08-20", "专题党课：弘扬清廉家风", branch3)),
            ("branch-3", "zhibu3", record(.branchActivity, "2026-09-12", "志愿服务进社区", branch3)),
            ("branch-3", "zhibu3", record(.groupMeeting, "2026-07-16", "党小组集中学习", Array(branch3.prefix(3)))),
            ("branch-3", "zhibu3", record(.groupMeeting, "2026-08-16", "党小组集中学习", Array(branch3.prefix(3)))),
            ("branch-3", "zhibu3", record(.groupMeeting, "2026-09-16", "党小组集中学习", Array(branch3.prefix(3)))),
            ("branch-3", "zhibu3", record(.duesHandover, "2026-07-15", "7月党费上交", [])),
            ("branch-3", "zhibu3", record(.duesHandover, "2026-08-10", "8月党费上交", [])),
            ("branch-3", "zhibu3", record(.duesHandover, "2026-09-10", "9月党费上交", [])),
            ("branch-3", "zhibu3", record(.infoReport, "2026-09-28", "志愿服务活动信息", [])),
        ]
    }()

    static func recordDemoLedger(on db: any Database) async throws {
        let units = Dictionary(uniqueKeysWithValues: try await Unit.query(on: db).all().map { ($0.code, $0) })
        for (code, user, record) in activities {
            guard let unit = units[code] else { continue }
            try await Ledger.record(record, for: unit, actor: user, today: CalendarDay("2026-09-30")!, on: db)
        }
    }
}
