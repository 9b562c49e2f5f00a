import Fluent
import KaoheCore

/// What an audit event did, in one list: the log, its page's filter and the sheet's history read these.
enum AuditAction: Sendable, Equatable {
    case userCreate, userPassword, userTokenRevoke, roleGrant, roleRevoke
    case unitCreate, unitUpdate, membershipChange, unitChange, unitRetire, unitRemove
    case rubricInstall, rubricVersion
    case periodOpen, periodPublish, periodRepublish, periodWithdraw, periodDeadlines
    case entryAdd, entryDelete, entryWithdraw, entryMitigation, opinionSet, evidenceUpload
    /// A workflow step of a sheet (报送, 转交, 退回, 考核完毕, 审核确定).
    case sheet(WorkflowAction)
    case objectionFile, objectionUphold, objectionDismiss
    case activityRecord, activityWithdraw, ledgerComplete, ledgerStart, duesRecord, documentRecord, documentAttach,
        suggestionDismiss
    case factRecord, findingRecord, findingRemove
    case penaltyBase, vetoRecord, vetoWithdraw, evaluationEnter, awardDecide
    /// The issuing organisation and 发文字号 on the papers (`Letterhead`).
    case letterhead
    /// `kaohe generate` filled an empty database with a synthetic bureau system.
    case bureauGenerate

    /// The code stored in the log, as it has always been written: `entry.add`, `sheet.submit`.
    var code: String {
        switch self {
        case .userCreate: "user.create"
        case .userPassword: "user.password"
        case .userTokenRevoke: "user.token.revoke"
        case .roleGrant: "role.grant"
        case .roleRevoke: "role.revoke"
        case .unitCreate: "unit.create"
        case .unitUpdate: "unit.update"
        case .membershipChange: "membership.change"
        case .unitChange: "unit.change"
        case .unitRetire: "unit.retire"
        case .unitRemove: "unit.remove"
        case .rubricInstall: "rubric.install"
        case .rubricVersion: "rubric.version"
        case .periodOpen: "period.open"
        case .periodPublish: "period.publish"
        case .periodRepublish: "period.republish"
        case .periodWithdraw: "period.withdraw"
        case .periodDeadlines: "period.deadlines"
        case .entryAdd: "entry.add"
        case .entryDelete: "entry.delete"
        case .entryWithdraw: "entry.withdraw"
        case .entryMitigation: "entry.mitigation"
        case .opinionSet: "opinion.set"
        case .evidenceUpload: "evidence.upload"
        case .sheet(let action): "sheet.\(action.rawValue)"
        case .objectionFile: "objection.file"
        case .objectionUphold: "objection.uphold"
        case .objectionDismiss: "objection.dismiss"
        case .activityRecord: "activity.record"
        case .activityWithdraw: "activity.withdraw"
        case .ledgerComplete: "ledger.complete"
        case .ledgerStart: "ledger.start"
        case .duesRecord: "dues.record"
        case .documentRecord: "document.record"
        case .documentAttach: "document.attach"
        case .suggestionDismiss: "suggestion.dismiss"
        case .factRecord: "fact.record"
        case .findingRecord: "finding.record"
        case .findingRemove: "finding.remove"
        case .penaltyBase: "penalty.base"
        case .vetoRecord: "veto.record"
        case .vetoWithdraw: "veto.withdraw"
        case .evaluationEnter: "evaluation.enter"
        case .awardDecide: "award.decide"
        case .letterhead: "setting.letterhead"
        case .bureauGenerate: "bureau.generate"
        }
    }
}

extension AuditAction {
    /// Every action, in the order the audit page's filter lists them.
    static let all: [AuditAction] =
        [
            .userCreate, .userPassword, .userTokenRevoke, .roleGrant, .roleRevoke, .unitCreate, .unitUpdate,
            .membershipChange, .unitChange, .unitRetire, .unitRemove,
            .rubricInstall, .rubricVersion, .periodOpen, .periodPublish, .periodRepublish, .periodWithdraw,
            .periodDeadlines,
            .entryAdd, .entryDelete, .entryWithdraw, .entryMitigation, .opinionSet, .evidenceUpload,
        ] + WorkflowAction.allCases.map { .sheet($0) } + [
            .objectionFile, .objectionUphold, .objectionDismiss, .activityRecord, .activityWithdraw, .ledgerComplete,
            .ledgerStart, .duesRecord,
            .documentRecord, .documentAttach, .suggestionDismiss, .factRecord, .findingRecord, .findingRemove,
            .penaltyBase, .vetoRecord, .vetoWithdraw, .evaluationEnter, .awardDecide, .letterhead, .bureauGenerate,
        ]

    init?(code: String) {
        guard let action = Self.all.first(where: { $0.code == code }) else { return nil }
        self = action
    }

    /// What people read on the audit page.
    var label: String {
        switch self {
        case .userCreate: "新建用户"
        case .userPassword: "修改密码"
        case .userTokenRevoke: "注销接口令牌"
        case .roleGrant: "授予角色"
        case .roleRevoke: "撤销角色"
        case .unitCreate: "新建组织"
        case .unitUpdate: "修改组织"
        case .membershipChange: "党员组织关系变动"
        case .unitChange: "组织更名或调整隶属"
        case .unitRetire: "撤销组织"
        case .unitRemove: "删除误建的组织"
        case .rubricInstall: "安装考核细则"
        case .rubricVersion: "修改考核细则"
        case .periodOpen: "建立考核期"
        case .periodPublish: "公布考核结果"
        case .periodRepublish: "公布复核结果"
        case .periodWithdraw: "撤销考核期"
        case .periodDeadlines: "修改截止日期"
        case .entryAdd: "添加扣分/加分记录"
        case .entryDelete: "删除记录"
        case .entryWithdraw: "撤销记录"
        case .entryMitigation: "认可或不认可从轻、不予扣分"
        case .opinionSet: "填写考核意见"
        case .evidenceUpload: "上传考核依据"
        case .sheet(let action): "考核表\(action.label)"
        case .objectionFile: "提出申诉"
        case .objectionUphold: "受理申诉，重新考核"
        case .objectionDismiss: "驳回申诉"
        case .activityRecord: "记录台账活动"
        case .activityWithdraw: "撤回台账活动"
        case .ledgerComplete: "确认台账记全"
        case .ledgerStart: "设置台账启用日"
        case .duesRecord: "登记党费"
        case .documentRecord: "登记计划总结"
        case .documentAttach: "上传计划总结原件"
        case .suggestionDismiss: "忽略建议扣分"
        case .factRecord: "登记年度评议与测评"
        case .findingRecord: "登记内审发现"
        case .findingRemove: "删除内审发现"
        case .penaltyBase: "设置行政考核基数奖金"
        case .vetoRecord: "记录一票否决"
        case .vetoWithdraw: "撤销一票否决"
        case .evaluationEnter: "填写年度评选评分"
        case .awardDecide: "党总支综合评定"
        case .letterhead: "设置发文机关与发文字号"
        case .bureauGenerate: "生成模拟数据"
        }
    }
}

extension AuditAction {
    /// Whether the change may change what a sheet's kept reading counts (`KeptSheetReading`), so every reading is
    /// counted again. Not a sheet's own work (its entries are set against the reading when read), nor a ledger
    /// record, a dues month or a document (their recount moves their own units' epochs), nor a password; anything
    /// else, new kinds included, does.
    var movesReadings: Bool {
        switch self {
        case .entryAdd, .entryDelete, .entryWithdraw, .entryMitigation, .opinionSet, .evidenceUpload, .sheet,
            .objectionFile, .suggestionDismiss, .activityRecord, .activityWithdraw, .ledgerComplete, .duesRecord,
            .documentRecord, .userPassword, .userTokenRevoke:
            false
        default: true
        }
    }
}

/// What an event is about, always written the same way: `sheet:2026Q3/branch-1`, `unit:branch-1`,
/// `user:zhibu1`, `rubric:bureau-branch`, `period:2026Q3`. Every sheet event names its quarter and unit.
enum AuditSubject: Sendable, Equatable {
    case sheet(period: String, unit: String)
    case unit(String)
    case user(String)
    case rubric(String)
    case period(String)
    /// A year's selection at one level: `year:2026/branch`.
    case year(Int, level: String)
    /// One of the bureau's settings: `setting:ledger`.
    case setting(String)

    var code: String {
        switch self {
        case .sheet(let period, let unit): "sheet:\(period)/\(unit)"
        case .unit(let code): "unit:\(code)"
        case .user(let name): "user:\(name)"
        case .rubric(let key): "rubric:\(key)"
        case .period(let code): "period:\(code)"
        case .year(let year, let level): "year:\(year)/\(level)"
        case .setting(let name): "setting:\(name)"
        }
    }
}

extension Sheet {
    /// `sheet:<period>/<unit>`: the sheet's quarter read once if it was not loaded with the sheet.
    func auditSubject(on db: any Database) async throws -> AuditSubject {
        if let loaded = $period.value { return .sheet(period: loaded.code, unit: unitCode) }
        let period = try await Period.find($period.id, on: db)
        return .sheet(period: period?.code ?? "?", unit: unitCode)
    }
}
