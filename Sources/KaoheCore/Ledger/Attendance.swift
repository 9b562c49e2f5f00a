/// A member's sheet counts what the ledger says of them: each unexcused absence (无故缺席) from an activity the
/// rubric names applies its deduct rule once (细则 1.1 无故缺席党员大会、党小组会、党课或组织活动的每次; 2.1 无故缺席
/// 周三晚上理论学习的每次). An absence with leave (请假) is not counted.
public struct AttendanceRule: Sendable, Equatable {
    public var activity: ActivityType
    public var rule: String

    public init(activity: ActivityType, rule: String) {
        self.activity = activity
        self.rule = rule
    }
}

public enum Attendance {
    /// One rule's absences in the quarter, with the days they fell on, oldest first.
    public struct Absences: Sendable, Equatable {
        public var rule: String
        public var absences: [(activity: ActivityType, day: CalendarDay)]

        public static func == (a: Absences, b: Absences) -> Bool {
            a.rule == b.rule
                && a.absences.map { "\($0.activity)\($0.day)" } == b.absences.map { "\($0.activity)\($0.day)" }
        }
    }

    /// The absences of `quarter` under each rule, given the days a member was absent from each kind of activity.
    public static func absences(
        in quarter: Quarter, rules: [AttendanceRule],
        absent: [ActivityType: [CalendarDay]]
    ) -> [Absences] {
        var found: [Absences] = []
        for rule in rules {
            let days = (absent[rule.activity] ?? []).filter { Quarter(of: $0) == quarter }.sorted()
            guard !days.isEmpty else { continue }
            let absences = days.map { (activity: rule.activity, day: $0) }
            if let index = found.firstIndex(where: { $0.rule == rule.rule }) {
                found[index].absences = (found[index].absences + absences).sorted { $0.day < $1.day }
            } else {
                found.append(Absences(rule: rule.rule, absences: absences))
            }
        }
        return found
    }
}
