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

    let lines: [Line]

    /// The standing records of the year in the units above the member that name them, oldest first.
    static func read(_ member: Unit, year: Int, on db: any Database) async throws -> MemberRecord {
        let chain = try await Access.unitAndAncestors(member.code, on: db)
        let records = try await Ledger.records(of: Array(chain), year: year, on: db)
        let names = try await Unit.names(of: records.map(\.unitCode), on: db)
        return MemberRecord(lines: records.compactMap { record in
            let state: (String, String)? =
                if Activity.codes(record.attendees).contains(member.code) { ("attended", "参加") }
                else if Activity.codes(record.excused).contains(member.code) { ("excused", "请假") }
                else if Activity.codes(record.absent).contains(member.code) { ("absent", "无故缺席") }
                else { nil }
            guard let state, let type = ActivityType(rawValue: record.type) else { return nil }
            return Line(date: record.date, type: type, typeLabel: type.label, topic: record.topic,
                        unitName: names[record.unitCode] ?? record.unitCode, state: state.0, stateLabel: state.1)
        })
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
    func suggestions(for quarter: Quarter, rubric: Rubric, entries: [AssessmentEntry]) -> [SuggestionDTO] {
        Attendance.absences(in: quarter, rules: rubric.attendance, absent: absent).compactMap { found in
            let once = rubric.rule(id: found.rule)?.unit == .once
            let entered = entries.filter { $0.rule == found.rule && !$0.withdrawn }.map { $0.count ?? 1 }.saturatingSum()
            let count = (once ? 1 : found.absences.count) - entered
            guard count > 0 else { return nil }
            let days = found.absences.map { "\($0.activity.label) \($0.day)" }.joined(separator: "、")
            return SuggestionDTO(rule: found.rule, count: count, reason: "活动台账：无故缺席 \(days)")
        }
    }
}
