import Foundation
import Yams

/// The optional sections of a rubric file: penalty, annual, and the extensions schedule and requirements.
extension RubricReading {
    func penalty(_ node: Node, grades: [GradeBand]) -> PenaltyPolicy? {
        guard
            let fields = YAMLFields(
                node, subject: "penalty",
                required: ["multiplier", "reference", "rate", "grades"],
                optional: ["generalSecretaryShare", "deputySecretaryShare"],
                log: log
            )
        else { return nil }
        let reference = fields.decimal("reference") ?? 1
        if fields.has("reference"), reference <= 0 {
            fields.report("reference", "'reference' must be greater than 0, got \(reference)")
        }
        let known = Set(grades.map(\.key))
        var keys: [String] = []
        for keyNode in fields.sequence("grades") ?? [] {
            guard let key = keyNode.scalar?.string, !keyNode.isNull else {
                log.report("penalty", at: keyNode, "'grades' must list grade keys, got \(keyNode.kindName)")
                continue
            }
            if !known.contains(key) { log.report("penalty", at: keyNode, "'grades' names unknown grade '\(key)'") }
            keys.append(key)
        }
        return PenaltyPolicy(
            multiplier: fields.nonNegative("multiplier") ?? 0,
            reference: reference,
            rate: fields.nonNegative("rate") ?? 0,
            grades: keys,
            generalSecretaryShare: fields.nonNegative("generalSecretaryShare")
                ?? PenaltyPolicy.standardGeneralSecretaryShare,
            deputySecretaryShare: fields.nonNegative("deputySecretaryShare")
                ?? PenaltyPolicy.standardDeputySecretaryShare
        )
    }

    func annual(_ node: Node) -> AnnualPolicy? {
        guard
            let fields = YAMLFields(
                node, subject: "annual", required: [], optional: ["weights", "awards", "peers"], log: log)
        else {
            return nil
        }
        var policy = AnnualPolicy.standard
        if let weightsNode = fields.value("weights"),
            let weights = YAMLFields(
                weightsNode, subject: "annual.weights", required: ["quarterly", "self", "peer", "panel"], log: log)
        {
            policy.weights = AnnualWeights(
                quarterly: weights.nonNegative("quarterly") ?? 0,
                selfRating: weights.nonNegative("self") ?? 0,
                peer: weights.nonNegative("peer") ?? 0,
                panel: weights.nonNegative("panel") ?? 0
            )
            if policy.weights.sum != 1 {
                log.report("annual.weights", at: weightsNode, "the weights sum to \(policy.weights.sum), not 1")
            }
        }
        if let awardsNode = fields.value("awards"),
            let awards = YAMLFields(
                awardsNode, subject: "annual.awards", required: ["min", "max"], optional: ["within"], log: log)
        {
            policy.awards = AwardCount(
                min: awards.integer("min") ?? 0, max: awards.integer("max") ?? 0,
                within: awards.choice("within", of: UnitLevel.self))
            if policy.awards.min < 0 || policy.awards.max < policy.awards.min {
                log.report(
                    "annual.awards", at: awardsNode,
                    "'min' and 'max' must satisfy 0 ≤ min ≤ max, got min \(policy.awards.min), max \(policy.awards.max)"
                )
            }
        }
        if let peersNode = fields.value("peers"),
            let peers = YAMLFields(peersNode, subject: "annual.peers", required: ["within"], log: log)
        {
            policy.peersWithin = peers.choice("within", of: UnitLevel.self)
        }
        return policy
    }

    /// `within` names a level above the rubric's own: a member's group or branch, a group's branch.
    func annualScopes(_ policy: AnnualPolicy, level: UnitLevel, at node: Node?) {
        let order = UnitLevel.allCases
        for (key, within) in [
            ("annual.awards.within", policy.awards.within), ("annual.peers.within", policy.peersWithin),
        ] {
            guard let within, order.firstIndex(of: within)! >= order.firstIndex(of: level)! else { continue }
            log.report(key, at: node, "'\(within.rawValue)' is not a level above the rubric's '\(level.rawValue)'")
        }
    }

    func schedule(_ node: Node, rules: [RubricRule]) -> Schedule? {
        guard
            let fields = YAMLFields(
                node, subject: "schedule", required: [],
                optional: [
                    "selfReportDay", "panelReviewDay", "objectionDays", "lateRule", "noSelfReportRule", "duesDay",
                    "duesRule", "duesSignatureRule", "rosterShare",
                ], log: log
            )
        else { return nil }
        let standard = Schedule.standard
        var schedule = Schedule(
            selfReportDay: day(fields, "selfReportDay") ?? standard.selfReportDay,
            panelReviewDay: day(fields, "panelReviewDay") ?? standard.panelReviewDay,
            objectionDays: fields.integer("objectionDays") ?? standard.objectionDays,
            lateRule: fields.string("lateRule"),
            noSelfReportRule: fields.string("noSelfReportRule")
        )
        schedule.duesDay = day(fields, "duesDay") ?? schedule.duesDay
        schedule.duesRule = fields.string("duesRule")
        schedule.duesSignatureRule = fields.string("duesSignatureRule")
        if let share = fields.decimal("rosterShare") {
            if share < 0 || share >= 1 {
                fields.report("rosterShare", "'rosterShare' must be at least 0 and below 1, got \(share)")
            }
            schedule.rosterShare = share
        }
        for (key, rule) in [
            ("lateRule", schedule.lateRule), ("noSelfReportRule", schedule.noSelfReportRule),
            ("duesRule", schedule.duesRule), ("duesSignatureRule", schedule.duesSignatureRule),
        ] {
            guard let rule else { continue }
            switch rules.first(where: { $0.id == rule })?.type {
            case .deduct?: break
            case .bonus?: fields.report(key, "rule '\(rule)' is a bonus rule, not a deduct rule")
            case nil: fields.report(key, "unknown rule '\(rule)'")
            }
        }
        if schedule.objectionDays < 1 {
            fields.report("objectionDays", "'objectionDays' must be at least 1, got \(schedule.objectionDays)")
        }
        if schedule.panelReviewDay < schedule.selfReportDay {
            fields.report(
                "panelReviewDay",
                "'panelReviewDay' (\(schedule.panelReviewDay)) must not come before 'selfReportDay' (\(schedule.selfReportDay))"
            )
        }
        return schedule
    }

    /// A day of the month, 1 to 31.
    private func day(_ fields: YAMLFields, _ key: String) -> Int? {
        guard let day = fields.integer(key) else { return nil }
        guard (1...31).contains(day) else {
            fields.report(key, "'\(key)' must be a day of the month (1 to 31), got \(day)")
            return nil
        }
        return day
    }

    /// Each requirement names an existing deduct rule and at least one frequency; a weekly one may name its day.
    func requirements(_ nodes: [Node], rules: [RubricRule]) -> [ActivityRequirement] {
        let frequencies = ["perYear", "perHalfYear", "perQuarter", "perMonth", "perWeek"]
        return nodes.enumerated().compactMap { index, node in
            let activity = node.mapping?["activity"]?.scalar?.string
            let subject = "requirement \(index + 1)" + (activity.map { " (\($0))" } ?? "")
            guard
                let fields = YAMLFields(
                    node, subject: subject, required: ["activity", "rule"],
                    optional: frequencies + ["weekday", "eachGroup"], log: log)
            else {
                return nil
            }
            var counts: [String: Int] = [:]
            for key in frequencies {
                guard let count = fields.integer(key) else { continue }
                if count < 1 { fields.report(key, "'\(key)' must be at least 1, got \(count)") }
                counts[key] = count
            }
            if frequencies.allSatisfy({ !fields.has($0) }) {
                log.report(subject, at: node, "give at least one of \(frequencies.joined(separator: ", "))")
            }
            var weekday = fields.integer("weekday")
            if let day = weekday, !(1...7).contains(day) {
                fields.report("weekday", "'weekday' must be a day of the week, 1 (Monday) to 7 (Sunday), got \(day)")
                weekday = nil
            }
            if fields.has("weekday"), counts["perWeek"] == nil {
                fields.report("weekday", "'weekday' names the day of a weekly requirement: give perWeek with it")
            }
            let ruleID = deductRule(fields, rules: rules)
            return ActivityRequirement(
                activity: fields.choice("activity", of: ActivityType.self) ?? .memberMeeting,
                perYear: counts["perYear"], perQuarter: counts["perQuarter"], perHalfYear: counts["perHalfYear"],
                perMonth: counts["perMonth"], perWeek: counts["perWeek"], weekday: weekday,
                eachGroup: fields.boolean("eachGroup") ?? false, rule: ruleID
            )
        }
    }

    /// Each line names an activity and the deduct rule an unexcused absence from it applies.
    func attendance(_ nodes: [Node], rules: [RubricRule]) -> [AttendanceRule] {
        nodes.enumerated().compactMap { index, node in
            let activity = node.mapping?["activity"]?.scalar?.string
            let subject = "attendance \(index + 1)" + (activity.map { " (\($0))" } ?? "")
            guard let fields = YAMLFields(node, subject: subject, required: ["activity", "rule"], log: log) else {
                return nil
            }
            let rule = deductRule(fields, rules: rules)
            guard let activity = fields.choice("activity", of: ActivityType.self) else { return nil }
            return AttendanceRule(activity: activity, rule: rule)
        }
    }

    /// `documents: { rule, lateRule?, due: [{ kind, month, day }] }`.
    func documents(_ node: Node, rules: [RubricRule]) -> DocumentPolicy? {
        guard
            let fields = YAMLFields(
                node, subject: "documents", required: ["rule", "due"], optional: ["lateRule"], log: log)
        else {
            return nil
        }
        let missing = deductRule(fields, rules: rules)
        let late = fields.has("lateRule") ? deductRule(fields, rules: rules, key: "lateRule") : nil
        let due = (fields.sequence("due") ?? []).enumerated().compactMap { index, line -> DocumentRequirement? in
            guard
                let due = YAMLFields(
                    line, subject: "documents.due \(index + 1)", required: ["kind", "month", "day"], log: log),
                let kind = due.choice("kind", of: DocumentKind.self), let month = due.integer("month")
            else { return nil }
            guard (1...12).contains(month) else {
                due.report("month", "'month' must be 1 to 12, got \(month)")
                return nil
            }
            guard let day = self.day(due, "day") else { return nil }
            return DocumentRequirement(kind: kind, month: month, day: day)
        }
        return DocumentPolicy(missingRule: missing, lateRule: late, due: due)
    }

    /// The `rule` of a section's line, which must be a deduct rule of the rubric.
    func deductRule(_ fields: YAMLFields, rules: [RubricRule], key: String = "rule") -> String {
        let ruleID = fields.string(key) ?? ""
        if fields.has(key) {
            switch rules.first(where: { $0.id == ruleID })?.type {
            case .deduct?: break
            case .bonus?: fields.report(key, "rule '\(ruleID)' is a bonus rule, not a deduct rule")
            case nil: fields.report(key, "unknown rule '\(ruleID)'")
            }
        }
        return ruleID
    }
}
