import KaoheCore

/// One requirement's window still running at a quarter's end, as a sheet shows it: 党员大会 全年需 4 次，已 2 次.
struct Pace: Sendable, Equatable, Codable {
    let activity: ActivityType
    let rule: String
    let span: LedgerSpan
    /// The group counted, by name; nil for the unit itself.
    let group: String?
    let needed: Int
    let recorded: Int
    let behind: Bool
    /// 第一党小组 党小组会 全年需 12 次，已 9 次.
    let text: String

    init(_ line: LedgerBook.Line) {
        activity = line.tally.requirement.activity
        rule = line.tally.requirement.rule
        span = line.tally.window.span
        group = line.group?.name
        needed = line.tally.needed
        recorded = line.tally.recorded
        behind = line.tally.behind
        text = (line.group.map { "\($0.name) " } ?? "") + line.tally.requirement.activity.label + " " + line.tally.pace
    }
}
