import Leaf
import Vapor

/// How long a text a person may send, by the field's name: one table for the decoders that enforce it and for
/// `/openapi.json` that documents it. Services may ask for less (a ledger topic is a line, not a page).
enum TextLimits {
    /// Field name → the most characters it takes.
    static let byField: [String: Int] = [
        "username": 32, "password": 128, "currentPassword": 128, "newPassword": 128, "confirmation": 128,
        "name": 100, "displayName": 100, "position": 50, "code": 64, "unit": 64, "parent": 64, "group": 64,
        "certificate": 69,
        "rule": 32, "item": 32, "quarter": 8, "period": 8, "level": 16, "kind": 16, "role": 32, "source": 32,
        "mitigation": 16, "action": 16, "type": 32, "date": 10, "selfDeadline": 10, "panelDeadline": 10,
        "id": 36, "entry": 36, "activity": 36, "evidence": 36, "document": 36, "decision": 16, "year": 16, "number": 8,
        "key": 64, "veto": 8, "amount": 32, "rate": 16,
        "month": 7, "paidOn": 10, "handedOverOn": 10, "submittedOn": 10, "member": 64,
        "topic": 200, "title": 200, "filename": 255, "q": 100, "find": 100, "on": 10,
        "note": 2000, "case": 2000, "text": 2000, "opinion": 2000, "reason": 4000,
    ]

    /// Any other text: a CSV import pasted into a form, a rubric's YAML.
    static let otherwise = 200_000

    static func maximum(for field: String) -> Int { byField[field] ?? otherwise }
}

/// `maxlength="#limit("note")"` in a template: the field's limit from `TextLimits`, so that a browser stops the typing
/// where the server would refuse it. A name the table does not know fails the render, which every page test sees.
struct TextLimitTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let name = ctx.parameters.first?.string, let limit = TextLimits.byField[name] else {
            let written = ctx.parameters.map { $0.string ?? "?" }.joined(separator: ", ")
            throw Abort(.internalServerError, reason: "#limit(\(written)) names no field of TextLimits")
        }
        return .int(limit)
    }
}
