import Fluent
import KaoheCore
import Vapor

/// 审计日志: every change, newest first, with the chain's state on top — in words: actions in Chinese, people and
/// units by name, times in the bureau's zone; filtered by person, unit, period and action, chosen from lists.
struct AuditPage: Encodable {
    struct Filters: Content {
        var actor: String?
        var action: String?
        /// A unit's code: its own events and its sheets'.
        var unit: String?
        /// A period's code: the period's events and its sheets'.
        var period: String?
        var page: Int?
    }

    struct Row: Encodable {
        let seq: Int
        let at: String
        let actor: String
        let action: String
        let subject: String
        let before: String?
        let after: String?
    }

    struct Chain: Encodable {
        let intact: Bool
        let count: Int
        let problem: String?
    }

    let chrome: PageChrome
    let filters: Filters
    let actors: [SelectOption]
    let actions: [SelectOption]
    let units: [SelectOption]
    let periods: [SelectOption]
    /// The filters as a query string, for the pager.
    let query: String
    let rows: [Row]
    let chain: Chain
    let page: Int
    let previousPage: Int?
    let nextPage: Int?

    static let pageSize = 50

    static func query(_ filters: Filters, on request: Request) async throws -> AuditPage {
        let page = max(1, filters.page ?? 1)
        func chosen(_ text: String?) -> String? {
            text.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        var query = AuditEvent.query(on: request.db)
        if let actor = chosen(filters.actor) { query = query.filter(\.$actor == actor) }
        if let action = chosen(filters.action) { query = query.filter(\.$action == action) }
        if let unit = chosen(filters.unit) {
            query = query.group(.or) {
                $0.filter(\.$subject == "unit:\(unit)").filter(\.$subject, .custom("LIKE"), "sheet:%/\(unit)")
            }
        }
        if let period = chosen(filters.period) {
            query = query.group(.or) {
                $0.filter(\.$subject == "period:\(period)").filter(\.$subject, .custom("LIKE"), "sheet:\(period)/%")
            }
        }
        let events = try await query.sort(\.$seq, .descending)
            .range(((page - 1) * pageSize)..<(page * pageSize + 1))
            .all()
        let verification = try await AuditLog.verify(on: request.db)
        let users = try await User.query(on: request.db).sort(\.$username).all()
        let people = Dictionary(users.map { ($0.username, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let allUnits = try await Unit.query(on: request.db).filter(\.$kind != .member).sort(\.$code).all()
        // The units an event names: its subject, and the units of the roles it grants.
        let named = events.flatMap { event in
            [event.before, event.after].compactMap { $0 }.flatMap { json in
                json.matches(of: /"unit"\s*:\s*"([^"]+)"/).map { String($0.output.1) }
            } + [Self.unitCode(of: event.subject)].compactMap { $0 }
        }
        let unitNames = try await Unit.names(of: named, on: request.db)
            .merging(allUnits.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let periodCodes = try await Period.query(on: request.db).sort(\.$code, .descending).all().map(\.code)
        let reader = ISO8601DateFormatter()
        reader.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return AuditPage(
            chrome: try await PageChrome.make("审计日志", request),
            filters: filters,
            actors: users.map {
                SelectOption(
                    value: $0.username, label: "\($0.displayName)（\($0.username)）",
                    selected: $0.username == filters.actor)
            },
            actions: AuditAction.all.map {
                SelectOption(value: $0.code, label: $0.label, selected: $0.code == filters.action)
            },
            units: allUnits.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == filters.unit) },
            periods: periodCodes.map {
                SelectOption(value: $0, label: Quarter(code: $0)?.label ?? $0, selected: $0 == filters.period)
            },
            query: [
                ("actor", filters.actor), ("action", filters.action), ("unit", filters.unit),
                ("period", filters.period),
            ]
            .compactMap { key, value in
                chosen(value).map { "&\(key)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            }
            .joined(),
            rows: events.prefix(pageSize).map { event in
                Row(
                    seq: event.seq,
                    at: (reader.date(from: event.at) ?? ISO8601DateFormatter().date(from: event.at)).map(
                        PageFormat.dateTime) ?? event.at,
                    actor: Self.machineActors[event.actor] ?? people[event.actor].map { "\($0)（\(event.actor)）" }
                        ?? event.actor,
                    action: AuditAction(code: event.action)?.label ?? event.action,
                    subject: describe(event.subject, units: unitNames, people: people),
                    before: event.before.map { changes($0, units: unitNames) },
                    after: event.after.map { changes($0, units: unitNames) })
            },
            chain: Chain(
                intact: verification.firstBreak == nil, count: verification.count,
                problem: verification.firstBreak?.description),
            page: page,
            previousPage: page > 1 ? page - 1 : nil,
            nextPage: events.count > pageSize ? page + 1 : nil)
    }

    /// Who acts when no person does: the installation, and the demo bureau's creation.
    static let machineActors = [
        "system": "系统", "demo": "演示数据", SyntheticBureau.actor: "模拟数据", OrgImport.actor: "命令行导入",
    ]

    /// The unit an event's subject names, if any.
    static func unitCode(of subject: String) -> String? {
        if subject.hasPrefix("unit:") { return String(subject.dropFirst("unit:".count)) }
        if subject.hasPrefix("sheet:"), let slash = subject.firstIndex(of: "/") {
            return String(subject[subject.index(after: slash)...])
        }
        return nil
    }

    /// `sheet:2026Q3/branch-1` → 2026年第三季度 · 机关第一党支部 考核表.
    static func describe(_ subject: String, units: [String: String], people: [String: String]) -> String {
        let parts = subject.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return subject }
        let (kind, value) = (parts[0], parts[1])
        switch kind {
        case "sheet":
            let halves = value.split(separator: "/", maxSplits: 1).map(String.init)
            guard halves.count == 2 else { return subject }
            return "\(Quarter(code: halves[0])?.label ?? halves[0]) · \(units[halves[1]] ?? halves[1]) 考核表"
        case "unit": return "组织：\(units[value] ?? value)"
        case "user": return "用户：\(people[value].map { "\($0)（\(value)）" } ?? value)"
        case "rubric": return "考核细则：\(value)"
        case "period": return "考核期：\(Quarter(code: value)?.label ?? value)"
        case "year":
            let halves = value.split(separator: "/", maxSplits: 1).map(String.init)
            let level = halves.count == 2 ? Unit.Kind(rawValue: halves[1])?.label ?? halves[1] : ""
            return "\(halves.first ?? value) 年度评选 · \(level)"
        default: return subject
        }
    }

    /// What an event changed, as 状态：已报送；理由：… rather than JSON.
    static func changes(_ json: String, units: [String: String] = [:]) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return json
        }
        return object.keys.sorted().compactMap { key in
            let value =
                object[key].map { value -> String in
                    switch value {
                    case let text as String: valueLabel(text, of: key, units: units)
                    case let list as [Any]:
                        list.map { element in
                            switch element {
                            case let text as String: valueLabel(text, of: key)
                            // A role granted: 机关第一党支部 支部书记.
                            case let grant as [String: Any]:
                                [
                                    (grant["unit"] as? String).map { units[$0] ?? $0 },
                                    (grant["role"] as? String).map { valueLabel($0, of: "role") },
                                ]
                                .compactMap { $0 }.joined(separator: " ")
                            default: "\(element)"
                            }
                        }.joined(separator: "、")
                    case let flag as Bool: flag ? "是" : "否"
                    case is NSNull: "—"
                    default: "\(value)"
                    }
                } ?? ""
            return value.isEmpty ? nil : "\(fieldNames[key] ?? key)：\(value)"
        }.joined(separator: "；")
    }

    /// A coded value in the words of the pages: 已报送, 党小组会, 从轻扣分, 支部书记 rather than their codes.
    static func valueLabel(_ text: String, of key: String, units: [String: String] = [:]) -> String {
        switch key {
        case "state": SheetState(rawValue: text)?.label ?? text
        case "type": ActivityType(rawValue: text)?.label ?? text
        case "kind": Unit.Kind(rawValue: text)?.label ?? text
        case "unit", "parent": units[text] ?? text
        case "role", "roles": Role(rawValue: text)?.label ?? text
        case "source": Evidence.Source(rawValue: text)?.label ?? text
        case "stage": SheetEntry.Stage(rawValue: text).map { $0 == .panel ? "考核小组" : "自查" } ?? text
        case "decision": SheetEntry.MitigationDecision(rawValue: text)?.label ?? text
        case "mitigation":
            switch Mitigation(rawValue: text) {
            case .none?: "照扣"
            case .reduced?: "从轻扣分"
            case .waived?: "不予扣分"
            case nil: text
            }
        default: SheetState(rawValue: text)?.label ?? text
        }
    }

    static let fieldNames: [String: String] = [
        "attendees": "参加人数", "absent": "缺席人数", "label": "版本", "number": "版次", "roles": "角色", "kind": "类型",
        "code": "代码", "parent": "上级组织", "selfFound": "自查发现", "corrected": "已纠正", "note": "说明",
        "reportedOn": "报告总支书记日期", "evidence": "考核依据", "version": "版本号", "total": "总分", "grade": "等级",
        "state": "状态", "reason": "理由", "late": "逾期", "rule": "标准", "count": "次数", "points": "分值",
        "caseText": "事例", "mitigation": "扣分方式", "stage": "阶段", "withdrawn": "已撤销", "withdrawnReason": "撤销理由",
        "item": "考核内容", "text": "内容", "file": "文件", "sha256": "SHA-256", "source": "来源", "size": "大小（字节）",
        "decision": "认可", "selfReported": "已自查报送", "reviewLate": "考核逾期", "sheets": "考核表", "rubric": "细则",
        "selfDeadline": "自查报送截止", "panelDeadline": "考核截止", "role": "角色", "unit": "组织", "name": "名称",
        "username": "用户名", "displayName": "姓名", "type": "类型", "date": "日期", "topic": "主题",
    ]
}
