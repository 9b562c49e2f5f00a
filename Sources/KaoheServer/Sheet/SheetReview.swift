import Fluent
import KaoheCore
import Vapor

/// 办法 三(二), 四(二): the panel decides before it closes. 考核完毕 needs the panel's overall 考核意见 and leaves no
/// question open: no 从轻/不予扣分 the panel has not ruled on, no suggestion neither accepted nor set aside.
enum SheetReview {
    /// One question still open on a sheet, as the 409 lists it.
    struct OpenQuestion: Content, Equatable {
        enum Kind: String, Codable { case mitigation, suggestion }

        let kind: Kind
        let rule: String
        /// The entry whose mitigation waits for the panel.
        let entry: UUID?
        /// What the suggestion says, or what the unit asked for.
        let text: String

        /// In the words of the page: 2.8.a 申请从轻扣分，考核小组尚未认可或不认可.
        var label: String {
            kind == .mitigation ? "\(rule) \(text)，考核小组尚未认可或不认可" : "\(rule) 建议扣分“\(text)”尚未采纳或不采纳"
        }
    }

    /// Refused while questions are open: 409 with `{"open": […]}` in the API, the list on the page.
    struct QuestionsOpen: AbortError {
        let open: [OpenQuestion]
        var status: HTTPResponseStatus { .conflict }
        var reason: String {
            "考核完毕前须先处理：" + open.map(\.label).joined(separator: "；") + " (questions still open)"
        }
    }

    /// What is still open on a sheet: its entries in force asking for mitigation without the panel's
    /// ruling, and its suggestions still offered.
    static func openQuestions(entries: [SheetEntry], suggestions: [Suggestion]) -> [OpenQuestion] {
        let mitigations = entries.filter { !$0.withdrawn && $0.mitigation != .none && $0.mitigationDecision == nil }
            .map { entry in
                OpenQuestion(
                    kind: .mitigation, rule: entry.rule, entry: entry.id,
                    text: entry.mitigation == .reduced ? "申请从轻扣分" : "申请不予扣分")
            }
        let offered = suggestions.map { OpenQuestion(kind: .suggestion, rule: $0.rule, entry: nil, text: $0.reason) }
        return mitigations + offered
    }

    /// The panel's overall opinion as it may be kept: required, and a paragraph, not a book.
    static func opinion(_ text: String?) throws -> String {
        let opinion = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !opinion.isEmpty else {
            throw ValidationProblem(field: "opinion", rule: "请填写考核小组对本单位的总体考核意见（办法 四(二)）")
        }
        let limit = TextLimits.maximum(for: "opinion")
        guard opinion.count <= limit else {
            throw ValidationProblem(
                field: "opinion", rule: "考核意见不超过 \(limit) 字 (at most \(limit) characters)")
        }
        return opinion
    }
}
