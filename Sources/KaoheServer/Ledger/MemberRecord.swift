import Fluent
import KaoheCore
import Vapor

/// A member's own record in the ledgers of their group and branch: what they attended, where they were on leave,
/// what they missed without leave — shown on their page and counted on their sheet (`Rubric.attendance`).
struct MemberRecord {
    struct Line: Encodable {
        let date: String
        let type: ActivityType
        let typeLabel: String
        let topic: String
        let unitName: String
        /// attended, excused or absent.
        let state: String
        let stateLabel: String
    }

    /// One recorded month of the branch's dues, as it concerns the member.
    struct DuesLine: Encodable {
        let month: String
        let amount: String?
        let due: String?
        let paidOn: String?
        let signed: Bool
        /// 已交, 未交, 未足额.
        let state: String
    }

    let member: String
    let lines: [Line]
    let dues: [DuesMonth]

    /// The standing records of the year in the units the member has belonged to — their groups, then and now, and
    /// those groups' branches — that name them, oldest first.
    static func read(_ member: Unit, year: Int, on db: any Database) async throws -> MemberRecord {
        let chain = try await places(of: member, on: db)
        let records = try await Ledger.records(of: Array(chain), year: year, on: db)
        let names = try await Unit.names(of: records.map(\.unitCode), on: db)
        let dues = DuesLedger.months(try await DuesLedger.records(of: Array(chain), year: year, on: db))
        return MemberRecord(
            member: member.code,
            lines: records.compactMap { record in
                let state: (String, String)? =
                    if Activity.codes(record.attendees).contains(member.code) {
                        ("attended", "参加")
                    } else if Activity.codes(record.excused).contains(member.code) {
                        ("excused", "请假")
                    } else if Activity.codes(record.absent).contains(member.code) { ("absent", "无故缺席") } else { nil }
                guard let state else { return nil }
                let type = record.type
                return Line(
                    date: record.date, type: type, typeLabel: type.label, topic: record.topic,
                    unitName: names[record.unitCode] ?? record.unitCode, state: state.0, stateLabel: state.1)
            }, dues: dues)
    }

    /// The member's units now and every group they were in, with each group's branches then and now.
    private static func places(of member: Unit, on db: any Database) async throws -> [String] {
        var units = Set(try await Access.unitAndAncestors(member.code, on: db))
        let groups = Set(try await Memberships.stretches(of: member, on: db).map(\.groupCode))
        units.formUnion(groups)
        units.formUnion(try await Unit.query(on: db).filter(\.$code ~~ groups).all().compactMap(\.parentCode))
        units.formUnion(
            try await UnitChange.query(on: db).filter(\.$unitCode ~~ groups).filter(\.$action == .move).all()
                .compactMap(\.parentBefore))
        return units.sorted()
    }

    /// The member's line of each recorded month, newest first.
    var duesLines: [DuesLine] {
        dues.reversed().map { month in
            let payment = month.payments.first { $0.member == member }
            let state =
                switch payment {
                case nil: "未交"
                case let payment? where payment.amount <= 0: "未交"
                case let payment? where payment.due.map { payment.amount < $0 } == true: "未足额"
                default: "已交"
                }
            return DuesLine(
                month: month.code, amount: payment.map { "\($0.amount)" }, due: payment?.due.map { "\($0)" },
                paidOn: payment?.paidOn?.description, signed: payment?.signed ?? false, state: state)
        }
    }

    /// The days of each kind of activity the member missed without leave.
    var absent: [ActivityType: [CalendarDay]] {
        var days: [ActivityType: [CalendarDay]] = [:]
        for line in lines where line.state == "absent" {
            if let day = CalendarDay(line.date) { days[line.type, default: []].append(day) }
        }
        return days
    }

    /// The entries the member's absences imply on their sheet of `quarter`: one suggestion per rule, less what
    /// entries under it already count (a rule applied once is suggested once).
    func suggestions(for quarter: Quarter, rubric: Rubric, entries: [SheetEntry], asOf: CalendarDay) -> [Suggestion] {
        // The member's own dues: unpaid, short, unsigned (the hand-over is the branch's, not theirs).
        let months = dues.filter { Quarter(of: $0.month) == quarter }
        let findings = DuesCheck.findings(months, members: [member], duesDay: rubric.schedule.duesDay, asOf: asOf)
            .filter { $0.kind != .lateHandover }
        return attendanceSuggestions(for: quarter, rubric: rubric, entries: entries)
            + DuesLedger.suggestions(findings, names: [:], rubric: rubric, entries: entries).map {
                Suggestion(
                    rule: $0.rule, count: $0.count,
                    reason: $0.reason.replacingOccurrences(of: " \(member)", with: " 本人"))
            }
    }

    private func attendanceSuggestions(for quarter: Quarter, rubric: Rubric, entries: [SheetEntry]) -> [Suggestion] {
        Attendance.absences(in: quarter, rules: rubric.attendance, absent: absent).compactMap { found in
            let days = found.absences.map { "\($0.activity.label) \($0.day)" }.joined(separator: "、")
            return Suggestion.remaining(
                found.rule, found: found.absences.count, reason: "活动台账：无故缺席 \(days)",
                rubric: rubric, entries: entries)
        }
    }
}
