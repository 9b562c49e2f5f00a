import Fluent
import Foundation
import KaoheCore
import Vapor

/// The org CSV as an update of the tree: each row describes a unit as it should now be. Compared with what is kept,
/// the file becomes a plan — additions, renames, moves, transfers, retirements, corrected details — shown as a preview
/// and then applied all or nothing, each change made exactly as by hand (`OrgTree`, `Memberships`, `UnitChanges`),
/// with its audit event. A unit the file leaves out is left as it is: retiring one takes the word 撤销 on its row.
enum OrgUpdate {
    /// One change of the plan, at the line of the file that asks for it.
    struct Change: Equatable, Sendable {
        enum Action: Equatable, Sendable {
            case add(OrgImport.Row, origin: String?)
            /// A branch's or group's new name (a member's name is corrected with `details`).
            case rename(String)
            case moveGroup(to: String)
            case moveMember(to: String)
            case transferOut(destination: String)
            case remove(reason: String)
            case retire(reason: String?)
            /// Name, 职务, 入党日期, 中层 of a member corrected; a unit's name corrected when no date is given.
            case details(OrgImport.Row)
        }
        let line: Int
        let code: String
        let action: Action
        /// The first day it counts from (required for every dated change).
        let date: String?
        /// What the preview shows: 变动 and 内容.
        let label: String
        let summary: String

        /// A unit added: nothing kept changes, so a first import needs no preview.
        var isAddition: Bool { if case .add = action { true } else { false } }
    }

    enum Outcome: Equatable {
        case plan([Change])
        case problems([OrgImport.RowProblem])
    }

    static let changeWords: [String: String] = [
        "转入": "transferIn", "transferin": "transferIn", "转出": "transferOut", "transferout": "transferOut",
        "去世或除名": "remove", "去世": "remove", "除名": "remove", "remove": "remove", "撤销": "retire", "retire": "retire",
    ]

    /// The plan the table makes against the units kept, or every problem with its line (nothing is applied).
    static func plan(_ table: [[String]], on db: any Database, today: CalendarDay) async throws -> Outcome {
        let units = try await Unit.query(on: db).all()
        switch OrgImport.check(table, existing: Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0.kind) })) {
        case .problems(let problems): return .problems(problems)
        case .rows(let rows):
            return plan(rows, kept: Dictionary(uniqueKeysWithValues: units.map { ($0.code, $0) }), today: today)
        }
    }

    static func plan(_ rows: [OrgImport.Row], kept: [String: Unit], today: CalendarDay) -> Outcome {
        var changes: [Change] = []
        var problems: [OrgImport.RowProblem] = []
        for row in rows {
            let word = row.change.flatMap { changeWords[$0.lowercased()] ?? changeWords[$0] }
            if let written = row.change, word == nil {
                problems.append(.init(line: row.line, reason: "变动“\(written)”应为 转入、转出、去世或除名、撤销 之一"))
                continue
            }
            var date: String?
            if let text = row.date {
                do {
                    date = try CalendarDay.past(text, field: "生效日期", today: today).description
                } catch let problem as ValidationProblem {
                    problems.append(.init(line: row.line, reason: "生效日期\(problem.rule)"))
                    continue
                } catch { continue }
            }
            func change(_ action: Change.Action, _ label: String, _ summary: String) {
                changes.append(
                    Change(line: row.line, code: row.code, action: action, date: date, label: label, summary: summary))
            }
            func needsDate(_ what: String) -> Bool {
                guard date == nil else { return true }
                problems.append(.init(line: row.line, reason: "\(what)须填写生效日期"))
                return false
            }
            guard row.exists, let unit = kept[row.code] else {
                if word == "transferIn", row.kind != .member {
                    problems.append(.init(line: row.line, reason: "只有党员可以转入"))
                } else if let word, word != "transferIn" {
                    problems.append(.init(line: row.line, reason: "代码 \(row.code) 不存在，不能\(row.change ?? word)"))
                } else if word != "transferIn" || needsDate("转入") {
                    let origin = word == "transferIn" ? (row.note ?? "") : nil
                    change(
                        .add(row, origin: origin), word == "transferIn" ? "转入" : "新增",
                        "\(row.kind.label) \(row.name)，隶属 \(row.parent ?? "—")"
                            + (origin.map { $0.isEmpty ? "" : "，来自 \($0)" } ?? "") + (date.map { "，自 \($0)" } ?? ""))
                }
                continue
            }
            if let left = unit.leftOn {
                problems.append(.init(line: row.line, reason: "\(unit.name) 已于 \(left) 离开或撤销，不能再变动"))
                continue
            }
            switch word {
            case "transferOut", "remove":
                guard unit.kind == .member else {
                    problems.append(.init(line: row.line, reason: "\(row.change ?? "") 只适用于党员；组织请写“撤销”"))
                    continue
                }
                guard let note = row.note else {
                    problems.append(
                        .init(line: row.line, reason: word == "transferOut" ? "转出须在说明中写明转往的组织" : "去世或除名须在说明中写明原因"))
                    continue
                }
                if needsDate(row.change ?? "") {
                    change(
                        word == "transferOut" ? .transferOut(destination: note) : .remove(reason: note),
                        word == "transferOut" ? "转出" : "去世或除名", "\(unit.name)：\(note)，自 \(date!)")
                }
                continue
            case "retire":
                guard unit.kind != .member else {
                    problems.append(.init(line: row.line, reason: "党员离开请写“转出”或“去世或除名”"))
                    continue
                }
                change(.retire(reason: row.note), "撤销", "\(unit.name)" + (date.map { "，自 \($0)" } ?? "（误建，直接删除）"))
                continue
            case "transferIn":
                problems.append(.init(line: row.line, reason: "代码 \(row.code) 已存在，不能转入"))
                continue
            default: break
            }
            // No word: what differs from the kept unit.
            if (row.parent ?? "") != (unit.parentCode ?? "") {
                switch unit.kind {
                case .member where needsDate("调整党小组"):
                    change(
                        .moveMember(to: row.parent ?? ""), "调整党小组",
                        "\(unit.name)：\(unit.parentCode ?? "—") → \(row.parent ?? "—")，自 \(date!)")
                case .group where needsDate("调整所属党支部"):
                    change(
                        .moveGroup(to: row.parent ?? ""), "调整隶属",
                        "\(unit.name)：\(unit.parentCode ?? "—") → \(row.parent ?? "—")，自 \(date!)")
                case .member, .group: break
                default:
                    problems.append(.init(line: row.line, reason: "\(unit.kind.label)不能调整上级组织"))
                }
            }
            if row.name != unit.name, unit.kind != .member, date != nil {
                change(.rename(row.name), "更名", "\(unit.name) → \(row.name)，自 \(date!)")
            }
            let detailsDiffer =
                unit.kind == .member
                ? (row.name != unit.name || row.position != unit.position || row.joinedOn != unit.joinedOn
                    || row.midLevel != unit.holdsMidLevelPost
                    || row.leadership.map { $0 != (unit.inLeadershipGroup == true) } == true)
                : (row.name != unit.name && date == nil)
            if detailsDiffer {
                change(.details(row), "更正", "\(unit.name)：" + corrections(row, unit).joined(separator: "，"))
            }
        }
        if !problems.isEmpty { return .problems(problems.sorted { $0.line < $1.line }) }
        // Additions first (parents before children, as checked), then the dated changes, retirements last, once
        // the members they need gone have moved.
        func order(_ change: Change) -> Int {
            switch change.action {
            case .add: 0
            case .details, .rename: 1
            case .moveGroup: 2
            case .moveMember: 3
            case .transferOut, .remove: 4
            case .retire: 5
            }
        }
        return .plan(
            changes.enumerated().sorted { (order($0.element), $0.offset) < (order($1.element), $1.offset) }.map(
                \.element))
    }

    private static func corrections(_ row: OrgImport.Row, _ unit: Unit) -> [String] {
        var parts: [String] = []
        if row.name != unit.name { parts.append("姓名/名称 \(unit.name) → \(row.name)") }
        guard unit.kind == .member else { return parts }
        if row.position != unit.position { parts.append("职务 \(unit.position ?? "—") → \(row.position ?? "—")") }
        if row.joinedOn != unit.joinedOn { parts.append("入党日期 \(unit.joinedOn ?? "—") → \(row.joinedOn ?? "—")") }
        if row.midLevel != unit.holdsMidLevelPost { parts.append("中层 \(row.midLevel ? "是" : "否")") }
        if let leadership = row.leadership, leadership != (unit.inLeadershipGroup == true) {
            parts.append("局党组成员 \(leadership ? "是" : "否")")
        }
        return parts
    }

    /// What the preview promised: the same plan against the tree as it is when applied, or it changed meanwhile.
    static func digest(_ plan: [Change]) -> String {
        let text = plan.map { "\($0.line)|\($0.code)|\($0.label)|\($0.summary)" }.joined(separator: "\n")
        return EvidenceStore.sha256(Data(text.utf8))
    }

    /// What an import did, as the CLI sums it up: units added by kind, then each kind of change.
    static func summary(of plan: [Change]) -> String {
        let added = plan.compactMap { if case .add(let row, _) = $0.action { row.kind } else { nil } }
        let counts = Dictionary(grouping: added, by: { $0 }).mapValues(\.count)
        let parts = Unit.Kind.allCases.compactMap { kind in counts[kind].map { "\(kind.label) \($0)" } }
        var summary = "已导入 imported \(added.count) 个单位 units（\(parts.joined(separator: "、"))）"
        let others = plan.filter { !$0.isAddition }
        if !others.isEmpty {
            let byLabel = Dictionary(grouping: others, by: \.label).map { "\($0.key) \($0.value.count)" }.sorted()
            summary += "；变动 changes \(others.count) 项（\(byLabel.joined(separator: "、"))）"
        }
        return summary
    }

    /// A line's refusal while applying: which row, and why.
    struct Refused: Error {
        let problem: OrgImport.RowProblem
    }

    /// Applies the plan in one transaction, each change as made by hand; the first refusal undoes all of it.
    static func apply(
        _ plan: [Change], actor: String, today: CalendarDay, on db: any Database,
        progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }
    ) async throws {
        try await db.writeTransaction { db in
            for (index, change) in plan.enumerated() {
                do {
                    try await apply(change, actor: actor, today: today, on: db)
                } catch let problem as ValidationProblem {
                    throw Refused(problem: .init(line: change.line, reason: "\(change.label)：\(problem.rule)"))
                } catch let problem as OrgTree.Problem {
                    throw Refused(problem: .init(line: change.line, reason: "\(change.label)：\(problem.description)"))
                } catch let abort as AbortError {
                    throw Refused(problem: .init(line: change.line, reason: "\(change.label)：\(abort.reason)"))
                }
                progress(WorkProgress(step: "更新 updating", done: index + 1, total: plan.count))
            }
        }
    }

    private static func apply(_ change: Change, actor: String, today: CalendarDay, on db: any Database) async throws {
        let day = change.date
        switch change.action {
        case .add(let row, let origin):
            let unit = Unit(
                code: row.code, name: row.name, kind: row.kind, parentCode: row.parent, sortOrder: row.line,
                position: row.position, joinedOn: row.joinedOn, holdsMidLevelPost: row.midLevel)
            unit.inLeadershipGroup = row.leadership
            try await Memberships.add(
                unit, from: day.flatMap(CalendarDay.init), transferredFrom: origin, actor: actor, on: db)
        case .rename(let name):
            try await UnitChanges.apply(.init(name: name, date: day), to: change.code, by: actor, today: today, on: db)
        case .moveGroup(let branch):
            try await UnitChanges.apply(
                .init(parent: branch, date: day), to: change.code, by: actor, today: today, on: db)
        case .moveMember(let group):
            try await Memberships.apply(
                .init(action: "move", to: group, date: day), to: change.code, by: actor, today: today, on: db)
        case .transferOut(let destination):
            try await Memberships.apply(
                .init(action: "transferOut", date: day, destination: destination), to: change.code, by: actor,
                today: today, on: db)
        case .remove(let reason):
            try await Memberships.apply(
                .init(action: "remove", date: day, reason: reason), to: change.code, by: actor, today: today, on: db)
        case .retire(let reason):
            try await UnitChanges.end(change.code, date: day, reason: reason, by: actor, today: today, on: db)
        case .details(let row):
            try await OrgTree.update(
                change.code, name: row.name, position: row.position, joinedOn: row.joinedOn, midLevel: row.midLevel,
                leadership: row.leadership, actor: actor, on: db)
        }
    }
}
