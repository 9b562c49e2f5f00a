import Fluent
import Foundation
import KaoheCore

/// 流转记录: each workflow step of one sheet as the audit log keeps it — who, when, and the reason of a return.
struct SheetHistory: Encodable {
    struct Step: Encodable {
        let at: String
        let actor: String
        let label: String
        let reason: String?
        let late: Bool
    }

    let steps: [Step]

    /// The reason of the last return, while the sheet is back with the unit.
    var lastReturnReason: String? { steps.last { $0.label == WorkflowAction.return.label }?.reason }

    /// The approver's reason, while the sheet the approver sent back is with the panel again.
    var sendBackReason: String? {
        guard let last = steps.last, last.label == WorkflowAction.sendBack.label else { return nil }
        return last.reason
    }

    /// Each step of the sheet and what concerns it beside its workflow: the objection (提出申诉, 受理, 驳回) and the
    /// publication of the branches' period it was in (公布, 公布复核结果), so that a printed sheet carries its
    /// whole history.
    static func load(period: String, unit: String, on db: any Database) async throws -> SheetHistory {
        let sheetActions =
            WorkflowAction.allCases.map { AuditAction.sheet($0).code }
            + [AuditAction.objectionFile, .objectionUphold, .objectionDismiss].map(\.code)
        let periodActions = [AuditAction.periodPublish, .periodRepublish].map(\.code)
        let events = try await AuditEvent.query(on: db).group(.or) {
            $0.group(.and) { $0.filter(\.$subject == "sheet:\(period)/\(unit)").filter(\.$action ~~ sheetActions) }
                .group(.and) { $0.filter(\.$subject == "period:\(period)").filter(\.$action ~~ periodActions) }
        }.sort(\.$seq).all()
        let names = try await User.displayNames(of: events.map(\.actor), on: db)
        let reader = ISO8601DateFormatter()
        reader.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return SheetHistory(
            steps: events.compactMap { event in
                let after = event.afterFields
                let reason = after["reason"].flatMap { $0.isEmpty ? nil : $0 }
                let label: String
                var late = false
                switch AuditAction(code: event.action) {
                case .sheet(let action):
                    label = action.label
                    late = action == .submit && after["late"] == "yes"
                case .periodPublish, .periodRepublish:
                    // The period's event names the sheets it published: only this sheet's concern it.
                    guard let sheets = event.after, sheets.contains("\"\(unit)\"") else { return nil }
                    label = event.action == AuditAction.periodPublish.code ? "公布考核结果" : "公布复核结果"
                case .some(let other):
                    label = other.label
                case nil:
                    return nil
                }
                return Step(
                    at: reader.date(from: event.at).map(PageFormat.dateTime) ?? event.at,
                    actor: names[event.actor] ?? event.actor, label: label, reason: reason, late: late)
            })
    }
}
