import KaoheCore

/// An entry the records imply, for the unit or the panel to accept (`contracts/api.md`): the ledger's shortfalls,
/// a member's absences and dues, a late or missing self-report.
struct Suggestion: Sendable, Equatable, Codable {
    let rule: String
    let count: Int
    let reason: String

    /// A suggestion under `rule` for `found` occurrences, less what entries under it already count (a rule applied
    /// once is suggested once); nil when nothing is left to suggest.
    static func remaining(_ rule: String, found: Int, reason: String, rubric: Rubric, entries: [SheetEntry])
        -> Suggestion?
    {
        guard !excluded(rule, rubric: rubric, entries: entries) else { return nil }
        let once = rubric.rule(id: rule)?.unit == .once
        let entered = entries.filter { $0.rule == rule && !$0.withdrawn }.map { $0.count ?? 1 }.saturatingSum()
        let count = (once ? min(found, 1) : found) - entered
        return count > 0 ? Suggestion(rule: rule, count: count, reason: reason) : nil
    }

    /// Whether an entry in force of a rule that excludes `rule` (`excludes` in the rubric) leaves no room for it:
    /// a branch charged with 2.4.a 没有开展自查考核 is not also offered 2.4.b 未及时上报.
    static func excluded(_ rule: String, rubric: Rubric, entries: [SheetEntry]) -> Bool {
        let excluded = rubric.excluded(by: rule)
        return !excluded.isEmpty && entries.contains { !$0.withdrawn && excluded.contains($0.rule) }
    }

    /// Whether `dismissal` set this very suggestion aside: the same rule, count and records.
    func isSetAside(by dismissal: SuggestionDismissal) -> Bool {
        dismissal.rule == rule && dismissal.count == count && dismissal.suggestion == reason
    }
}
