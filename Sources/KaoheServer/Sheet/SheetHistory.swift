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

    static func load(period: String, unit: String, on db: any Database) async throws -> SheetHistory {
        let events = try await AuditEvent.query(on: db).filter(\.$subject == "sheet:\(period)/\(unit)")
            .filter(\.$action =~ "sheet.").sort(\.$seq).all()
        let names = try await User.displayNames(of: events.map(\.actor), on: db)
        let reader = ISO8601DateFormatter()
        reader.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return SheetHistory(
            steps: events.compactMap { event in
                guard let action = WorkflowAction(rawValue: String(event.action.dropFirst("sheet.".count))) else {
                    return nil
                }
                let after = event.afterFields
                let reason = after["reason"].flatMap { $0.isEmpty ? nil : $0 }
                return Step(
                    at: reader.date(from: event.at).map(PageFormat.dateTime) ?? event.at,
                    actor: names[event.actor] ?? event.actor, label: action.label, reason: reason,
                    late: action == .submit && after["late"] == "yes")
            })
    }
}
