import Foundation

/// Checks a CSV of the org tree row by row before anything is written: either every row is good and
/// all are imported, or nothing is and each bad row is listed with why.
///
/// Columns (Chinese or English headers, any order): 类型 kind · 代码 code · 名称 name · 上级代码 parent ·
/// 职务 position · 入党日期 joinedOn · 中层 midLevel. 类型 is 党总支/党支部/党小组/党员 or general/branch/group/member.
/// For the file as an update of the tree (`OrgUpdate`): 生效日期 date · 变动 change (转入、转出、去世或除名、撤销) ·
/// 说明 note (where from, where to, why). A row whose code exists describes that unit as it should now be.
struct OrgImport {
    struct RowProblem: Equatable, CustomStringConvertible {
        let line: Int
        let reason: String
        var description: String { "第 \(line) 行：\(reason)" }
    }

    enum Outcome: Equatable {
        /// Every row is good; parents come before their children.
        case rows([Row])
        case problems([RowProblem])
    }

    struct Row: Equatable {
        let line: Int
        let kind: Unit.Kind
        let code: String
        let name: String
        let parent: String?
        let position: String?
        let joinedOn: String?
        let midLevel: Bool
        /// 局党组成员; nil when the file leaves it out (an update keeps what is kept).
        var leadership: Bool? = nil
        /// Whether the code is already kept: the row is then an update of that unit.
        var exists = false
        /// 生效日期, as written; checked when the update is planned.
        var date: String? = nil
        var change: String? = nil
        var note: String? = nil
    }

    static let headers: [String: String] = [
        "类型": "kind", "kind": "kind", "代码": "code", "code": "code", "名称": "name", "姓名": "name", "name": "name",
        "上级代码": "parent", "parent": "parent", "职务": "position", "position": "position",
        "入党日期": "joinedOn", "joinedon": "joinedOn", "中层": "midLevel", "midlevel": "midLevel",
        "局党组成员": "leadership", "leadership": "leadership",
        "生效日期": "date", "date": "date", "变动": "change", "change": "change", "说明": "note", "note": "note",
    ]

    static let kinds: [String: Unit.Kind] = [
        "党总支": .general, "党支部": .branch, "党小组": .group, "党员": .member,
        "general": .general, "branch": .branch, "group": .group, "member": .member,
    ]

    /// - Parameter existing: the units already in the database, code → kind.
    static func check(_ table: [[String]], existing: [String: Unit.Kind]) -> Outcome {
        guard let header = table.first else { return .problems([RowProblem(line: 1, reason: "文件为空")]) }
        let columns = header.map {
            headers[$0.trimmingCharacters(in: .whitespaces).lowercased()]
                ?? headers[$0.trimmingCharacters(in: .whitespaces)]
        }
        var problems: [RowProblem] = []
        for required in ["kind", "code", "name"] where !columns.contains(required) {
            problems.append(
                RowProblem(line: 1, reason: "缺少列“\(required == "kind" ? "类型" : required == "code" ? "代码" : "名称")”"))
        }
        if !problems.isEmpty { return .problems(problems) }

        var rows: [Row] = []
        var fileKinds: [String: Unit.Kind] = [:]
        for (index, cells) in table.dropFirst().enumerated() {
            let line = index + 2
            func value(_ column: String) -> String? {
                guard let at = columns.firstIndex(of: column), at < cells.count else { return nil }
                let text = cells[at].trimmingCharacters(in: .whitespacesAndNewlines)
                return text.isEmpty ? nil : text
            }
            var reasons: [String] = []
            let kind = value("kind").flatMap { kinds[$0.lowercased()] ?? kinds[$0] }
            if kind == nil { reasons.append("类型“\(value("kind") ?? "")”不是 党总支/党支部/党小组/党员 之一") }
            let code = value("code") ?? ""
            if code.range(of: #"^[a-z0-9][a-z0-9-]{0,63}$"#, options: .regularExpression) == nil {
                reasons.append("代码“\(code)”只能由小写字母、数字和 - 组成")
            } else if fileKinds[code] != nil {
                reasons.append("代码 \(code) 已存在（本文件中出现了两次）")
            } else if let kept = existing[code], let kind, kept != kind {
                reasons.append("代码 \(code) 已是\(kept.label)，不能改为\(kind.label)")
            }
            let name = value("name")
            if name == nil { reasons.append("名称不能为空") }
            let joinedOn = value("joinedOn")
            if let joinedOn, !isDate(joinedOn) { reasons.append(dateRule(joinedOn)) }
            let midText = value("midLevel") ?? ""
            let midLevel = ["是", "y", "yes", "true", "1"].contains(midText.lowercased())
            if !midText.isEmpty && !midLevel && !["否", "n", "no", "false", "0"].contains(midText.lowercased()) {
                reasons.append("中层“\(midText)”应为 是 或 否")
            }
            let leaderText = value("leadership") ?? ""
            let leadership: Bool? =
                leaderText.isEmpty ? nil : ["是", "y", "yes", "true", "1"].contains(leaderText.lowercased())
            if leadership == false && !["否", "n", "no", "false", "0"].contains(leaderText.lowercased()) {
                reasons.append("局党组成员“\(leaderText)”应为 是 或 否")
            }
            if reasons.isEmpty, let kind, let name {
                fileKinds[code] = kind
                rows.append(
                    Row(
                        line: line, kind: kind, code: code, name: name, parent: value("parent"),
                        position: value("position"), joinedOn: joinedOn, midLevel: midLevel,
                        leadership: leadership, exists: existing[code] != nil, date: value("date"),
                        change: value("change"), note: value("note")))
            } else {
                problems.append(contentsOf: reasons.map { RowProblem(line: line, reason: $0) })
            }
        }
        // Parents may come later in the file, so they are checked once every code is known.
        let known = existing.merging(fileKinds) { old, _ in old }
        for row in rows {
            let expected = row.kind.parentKind
            switch (expected, row.parent) {
            case (nil, nil): break
            case (nil, .some): problems.append(RowProblem(line: row.line, reason: "党总支没有上级组织"))
            case (.some(let kind), nil):
                problems.append(RowProblem(line: row.line, reason: "\(row.kind.label)须填写上级代码（一个\(kind.label)）"))
            case (.some(let kind), .some(let parent)):
                if let parentKind = known[parent] {
                    if parentKind != kind {
                        problems.append(
                            RowProblem(
                                line: row.line,
                                reason: "上级 \(parent) 是\(parentKind.label)，\(row.kind.label)须隶属于\(kind.label)"))
                    }
                } else {
                    problems.append(RowProblem(line: row.line, reason: "上级代码 \(parent) 不存在"))
                }
            }
        }
        if !problems.isEmpty { return .problems(problems.sorted { $0.line < $1.line }) }
        // Parents before children, so each row can be created in order.
        let depth: (Unit.Kind) -> Int = { Unit.Kind.allCases.firstIndex(of: $0)! }
        return .rows(rows.sorted { (depth($0.kind), $0.line) < (depth($1.kind), $1.line) })
    }

    static func dateRule(_ text: String) -> String { "入党日期“\(text)”应为 YYYY-MM-DD" }

    static func isDate(_ text: String) -> Bool {
        guard text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil else { return false }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        return (1...12).contains(parts[1]) && (1...31).contains(parts[2])
    }
}
