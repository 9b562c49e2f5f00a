import Foundation
import Yams

/// The `facts:` extension: the yearly facts the 细则 counts and the rule each applies.
extension RubricReading {
    /// `facts: { quarter?, appraisal?: { basic?, failed? }, review?: { basic?, failed? },
    /// satisfaction?: { rule, threshold? }, audit?: { observation?, nonconformity?, major? }, secretaryPost?,
    /// leaderAbsence? }` — each a deduct rule of the rubric.
    func facts(_ node: Node, rules: [RubricRule], thresholds: [String: Decimal]) -> FactPolicy? {
        guard
            let fields = YAMLFields(
                node, subject: "facts", required: [],
                optional: [
                    "quarter", "appraisal", "review", "satisfaction", "audit", "secretaryPost", "leaderAbsence",
                ],
                log: log)
        else { return nil }
        var policy = FactPolicy()
        if let quarter = fields.integer("quarter") {
            if (1...4).contains(quarter) {
                policy.quarter = quarter
            } else {
                fields.report("quarter", "'quarter' must be 1 to 4, got \(quarter)")
            }
        }
        policy.appraisal = fields.value("appraisal").flatMap { lowResults($0, "facts.appraisal", rules: rules) }
        policy.review = fields.value("review").flatMap { lowResults($0, "facts.review", rules: rules) }
        if let node = fields.value("satisfaction"),
            let satisfaction = YAMLFields(
                node, subject: "facts.satisfaction", required: ["rule"], optional: ["threshold"], log: log)
        {
            policy.satisfaction = deductRule(satisfaction, rules: rules)
            policy.satisfactionThreshold = satisfaction.string("threshold") ?? policy.satisfactionThreshold
            if thresholds[policy.satisfactionThreshold] == nil {
                satisfaction.report(
                    "threshold", "'thresholds' has no '\(policy.satisfactionThreshold)' for the satisfaction rate")
            }
        }
        if let node = fields.value("audit"),
            let audit = YAMLFields(
                node, subject: "facts.audit", required: [], optional: AuditFinding.allCases.map(\.rawValue), log: log)
        {
            for kind in AuditFinding.allCases where audit.has(kind.rawValue) {
                policy.audit[kind] = deductRule(audit, rules: rules, key: kind.rawValue)
            }
        }
        if fields.has("secretaryPost") { policy.secretaryPost = deductRule(fields, rules: rules, key: "secretaryPost") }
        if fields.has("leaderAbsence") { policy.leaderAbsence = deductRule(fields, rules: rules, key: "leaderAbsence") }
        return policy
    }

    private func lowResults(_ node: Node, _ subject: String, rules: [RubricRule]) -> FactPolicy.LowResults? {
        guard let fields = YAMLFields(node, subject: subject, required: [], optional: ["basic", "failed"], log: log)
        else {
            return nil
        }
        return FactPolicy.LowResults(
            basic: fields.has("basic") ? deductRule(fields, rules: rules, key: "basic") : nil,
            failed: fields.has("failed") ? deductRule(fields, rules: rules, key: "failed") : nil)
    }
}
