import Fluent
import KaoheCore

/// What an audit event did, in one list: the log, its page's filter and the sheet's history read these.
enum AuditAction: Sendable, Equatable {
    case userCreate, userPassword, userTokenRevoke, roleGrant, roleRevoke
    case unitCreate, unitUpdate
    case rubricInstall, rubricVersion
    case periodOpen, periodPublish, periodRepublish
    case entryAdd, entryDelete, entryWithdraw, entryMitigation, opinionSet, evidenceUpload
    /// A workflow step of a sheet (报送, 转交, 退回, 考核完毕, 审核确定).
    case sheet(WorkflowAction)
    case objectionFile, objectionUphold, objectionDismiss
    case activityRecord, activityWithdraw

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
        case .rubricInstall: "rubric.install"
        case .rubricVersion: "rubric.version"
        case .periodOpen: "period.open"
        case .periodPublish: "period.publish"
        case .periodRepublish: "period.republish"
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

    var code: String {
        switch self {
        case .sheet(let period, let unit): "sheet:\(period)/\(unit)"
        case .unit(let code): "unit:\(code)"
        case .user(let name): "user:\(name)"
        case .rubric(let key): "rubric:\(key)"
        case .period(let code): "period:\(code)"
        }
    }
}

extension Assessment {
    /// `sheet:<period>/<unit>`: the sheet's quarter read once if it was not loaded with the sheet.
    func auditSubject(on db: any Database) async throws -> AuditSubject {
        if let loaded = $period.value { return .sheet(period: loaded.code, unit: unitCode) }
        let period = try await Period.find($period.id, on: db)
        return .sheet(period: period?.code ?? "?", unit: unitCode)
    }
}
