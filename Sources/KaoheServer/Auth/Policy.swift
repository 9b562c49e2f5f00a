import Fluent
import KaoheCore
import Vapor

/// Every "who may" of Kaohe, in one room: the bureau-wide duties held on the general branch, and who may see a
/// sheet, write its entries and move it, at each level of 办法 三(一) — the general branch assesses branches, a
/// branch its groups, a group its members. Routes, services and pages all ask here; none keeps a list of its own.
enum Policy {
    // MARK: Bureau duties, held on the general branch

    /// 组织委员 opens quarters, forwards and publishes.
    static let periodOpeners: Set<Role> = [.organizer]
    static let publishers: Set<Role> = [.organizer]
    /// 总支书记 approves (审核确定).
    static let approvers: Set<Role> = [.approver]
    /// The audit log is read by the admin and the organizer.
    static let auditReaders: Set<Role> = [.admin, .organizer]
    /// The general branch's roles (办法 七): they read the 扣奖 sheet, the vetoes and the yearly selection.
    static let generalBranchRoles: Set<Role> = [.organizer, .approver, .deputySecretary, .panelLeader, .admin]
    /// 组织委员 enters each secretary's 行政考核基数奖金.
    static let penaltyBaseSetters: Set<Role> = [.organizer]
    /// 台账启用日: the general branch's organizer sets the day from which every unit's ledger is counted.
    static let ledgerStarters: Set<Role> = [.organizer]
    /// 组织委员 or 总支书记 records and withdraws a veto (一票否决).
    static let vetoRecorders: Set<Role> = [.organizer, .approver]
    /// 考评: the panel leader rates every level's units in the yearly selection.
    static let panelRaters: Set<Role> = [.panelLeader]

    static func mayRecordVetoes(_ grants: [RoleGrant]) -> Bool { holdsBureauRole(grants, vetoRecorders) }
    static func maySetPenaltyBases(_ grants: [RoleGrant]) -> Bool { holdsBureauRole(grants, penaltyBaseSetters) }
    static func mayOpenPeriods(_ grants: [RoleGrant]) -> Bool { holdsBureauRole(grants, periodOpeners) }
    /// The whole 扣奖 sheet, the yearly selection, 台账对照 and the certificates are the general branch's.
    static func readsForTheGeneralBranch(_ grants: [RoleGrant]) -> Bool { holdsBureauRole(grants, generalBranchRoles) }

    /// 403 unless the user records vetoes; asked by the routes before they read a form and by `Vetoes` before it writes.
    static func requireVetoRecorder(_ user: User, on db: any Database) async throws {
        try requireBureauRole(
            try await Access.roles(of: user, on: db), vetoRecorders,
            "一票否决由组织委员或总支书记记录 (the organizer or the approver records a veto)")
    }

    /// 403 unless the user sets the 扣奖 bases; asked by the routes and by `Penalties.setBases`.
    static func requirePenaltyBaseSetter(_ user: User, on db: any Database) async throws {
        try requireBureauRole(
            try await Access.roles(of: user, on: db), penaltyBaseSetters,
            "只有组织委员可以设置行政考核基数奖金 (only the organizer sets the bases)")
    }

    /// 403 unless the user sets the ledger's start date; asked by the routes and by `LedgerStart.set`.
    static func requireLedgerStarter(_ user: User, on db: any Database) async throws {
        try requireBureauRole(
            try await Access.roles(of: user, on: db), ledgerStarters,
            "只有组织委员可以设置台账启用日 (only the organizer sets the ledger's start date)")
    }

    /// 403 unless the user opens quarters (组织委员).
    static func requirePeriodOpener(_ user: User, on db: any Database) async throws {
        try requireBureauRole(
            try await Access.roles(of: user, on: db), periodOpeners,
            "只有组织委员可以建立考核期 (only the organizer opens periods)")
    }

    /// 403 unless the user holds one of the general branch's roles; `refusal` says what was asked for.
    static func requireGeneralBranch(_ user: User, on db: any Database, _ refusal: String) async throws {
        try requireBureauRole(try await Access.roles(of: user, on: db), generalBranchRoles, refusal)
    }
    /// A unit's vetoes are read by the general branch's roles and by the secretary of the unit's branch.
    static func mayReadVetoes(of unit: String, grants: [RoleGrant], on db: any Database) async throws -> Bool {
        if holdsBureauRole(grants, generalBranchRoles) { return true }
        let secretaries = Set(grants.filter { $0.role == .branchSecretary }.map(\.unitCode))
        guard !secretaries.isEmpty else { return false }
        return !secretaries.isDisjoint(with: try await Access.unitAndAncestors(unit, on: db))
    }

    /// Who records a yearly fact (年度评议与测评) of a branch or group: the organizer every kind; the branch's
    /// secretary its members' 民主评议 and its 满意率, a group's leader the group's 满意率. 部门考核 comes from the
    /// personnel office and 内审 findings from the audit team, both through the organizer: the unit assessed does
    /// not write the facts that cost it points without a second pair of eyes.
    static func mayRecordFact(_ kind: YearFact.Kind, on unit: Unit, grants: [RoleGrant], chain: [String]) -> Bool {
        if holdsBureauRole(grants, [.organizer]) { return true }
        let secretary = grants.contains { $0.role == .branchSecretary && chain.contains($0.unitCode) }
        let leader = grants.contains { $0.role == .groupLeader && $0.unitCode == unit.code }
        switch kind {
        case .appraisal: return secretary
        case .satisfaction: return secretary || leader
        case .review, .finding: return false
        }
    }

    /// The org tree, users and rubrics are the admin's.
    static let orgManagers: Set<Role> = [.admin]
    /// A member's 组织关系 (moves, 转出, removal) is kept by the admin and the general branch's organizer, who
    /// receives and issues the transfer letters; a branch secretary reports it to them rather than recording it.
    static let membershipKeepers: Set<Role> = [.admin, .organizer]
    static let rubricEditors: Set<Role> = [.admin]

    /// Whether these grants hold one of `roles` on the general branch.
    /// Whether the signed-in user (if any) edits rubrics: the pages offer the editor only to them.
    static func mayEditRubrics(_ request: Request) async throws -> Bool {
        guard let user = request.auth.get(User.self) else { return false }
        return holdsBureauRole(try await Access.roles(of: user, on: request.db), rubricEditors)
    }

    static func holdsBureauRole(_ grants: [RoleGrant], _ roles: Set<Role>) -> Bool {
        grants.contains { roles.contains($0.role) && $0.unitCode == OrgTree.rootCode }
    }

    /// Refuses (403) anyone not holding one of `roles` on the general branch.
    static func requireBureauRole(_ grants: [RoleGrant], _ roles: Set<Role>, _ refusal: String) throws {
        guard holdsBureauRole(grants, roles) else { throw Abort(.forbidden, reason: refusal) }
    }

    /// 备案: a group's or member's filed result is read by the general branch's roles, the branch and group it
    /// belongs to, and the person concerned — a role on the unit or above it, except that a member's role reads
    /// only the unit it is held on (their own sheet and their group's), never their fellow members'.
    static func mayReadFiled(_ unit: String, grants: [RoleGrant], parents: [String: String?]) -> Bool {
        let chain = Access.unitAndAncestors(unit, parents: parents)
        return grants.contains { grant in
            grant.role == .member ? grant.unitCode == unit : chain.contains(grant.unitCode)
        }
    }

    /// Refuses (403) a workflow action the viewer's roles do not allow on this sheet.
    static func requireMayTake(_ action: WorkflowAction, on sheet: some SheetFacts, _ viewer: Viewer) throws {
        guard mayTake(action, on: sheet, viewer) else {
            let refusal =
                action == .reopen
                ? "您的角色不能处理该申诉 (your role may not decide this objection)"
                : "您的角色不能对该考核表“\(action.label)” (your role may not \(action.rawValue) this sheet)"
            throw Abort(.forbidden, reason: refusal)
        }
    }

    // MARK: Sheets
    /// The roles that keep a unit's own sheet (自查打分), held on `unitCode` itself — or, for a member's sheet,
    /// on the member's group (the group leader assesses its members).
    static func selfRoles(level: Unit.Kind) -> Set<Role> {
        switch level {
        case .branch: [.branchSecretary, .committeeMember]
        default: [.groupLeader]
        }
    }

    /// The roles that review a sheet, held on the unit's parent (or the general branch for branches).
    static func panelRoles(level: Unit.Kind) -> Set<Role> {
        switch level {
        case .branch: [.panelMember, .panelLeader]
        case .group: [.branchSecretary, .committeeMember]
        default: [.groupLeader]
        }
    }

    struct Viewer {
        let user: User
        let grants: [RoleGrant]
        /// The sheet's unit and every unit above it, nearest first.
        let chain: [String]

        func holds(_ roles: Set<Role>, on unit: String) -> Bool {
            grants.contains { roles.contains($0.role) && $0.unitCode == unit }
        }
    }

    /// The viewer of one sheet: its chain as kept for its quarter (`Sheet.above`), else today's.
    static func viewer(_ user: User, grants: [RoleGrant], of sheet: some SheetFacts, on db: any Database) async throws
        -> Viewer
    {
        if let kept = sheet.keptChain { return Viewer(user: user, grants: grants, chain: kept) }
        return Viewer(user: user, grants: grants, chain: try await Access.unitAndAncestors(sheet.unitCode, on: db))
    }

    static func viewer(_ user: User, sheetUnit: String, on db: any Database) async throws -> Viewer {
        // Side by side: neither read needs the other, and every sheet route waits for both.
        async let grants = Access.roles(of: user, on: db)
        async let chain = Access.unitAndAncestors(sheetUnit, on: db)
        return Viewer(user: user, grants: try await grants, chain: try await chain)
    }

    /// Drafts and sheets under review are visible only to the roles of their unit and of the units above it;
    /// published sheets to everyone signed in. The `member` role opens only the member's own sheet — the role held
    /// on the member's own unit — and results once they are out (DESIGN.md roles).
    static func canSee(_ sheet: some SheetFacts, _ viewer: Viewer) -> Bool {
        canSee(unit: sheet.unitCode, level: sheet.level, state: sheet.state, viewer)
    }

    /// The same rule for a sheet known only by its unit, level and state (a board's narrow index).
    static func canSee(unit: String, level: Unit.Kind, state: SheetState, _ viewer: Viewer) -> Bool {
        if state == .published {
            // 公示: a branch's published result is everyone's; a group's or member's is filed (备案), read as
            // `mayReadFiled` says: the general branch, the branch and group above, the person concerned.
            return level == .branch
                || viewer.grants.contains {
                    $0.role == .member ? $0.unitCode == unit : viewer.chain.contains($0.unitCode)
                }
        }
        return viewer.grants.contains {
            $0.role == .member ? level == .member && $0.unitCode == unit : viewer.chain.contains($0.unitCode)
        }
    }

    /// Which branch sheets a viewer sees, as a board asks the database for them: `canSee` on a branch's chain (the
    /// branch, then the general branch) is every sheet for a role on the general branch, else the published ones
    /// and those of the branches where the viewer holds a role (`member` opens only a member's sheet).
    enum BranchSight: Equatable {
        case every
        case publishedAnd(Set<String>)
    }

    static func branchSight(_ grants: [RoleGrant]) -> BranchSight {
        let held = Set(grants.filter { $0.role != .member }.map(\.unitCode))
        return held.contains(OrgTree.rootCode) ? .every : .publishedAnd(held)
    }

    /// The unit where the self-assessment roles are held.
    static func selfUnit(_ sheet: some SheetFacts, _ viewer: Viewer) -> String {
        sheet.level == .member ? (viewer.chain.dropFirst().first ?? sheet.unitCode) : sheet.unitCode
    }

    /// The unit where the panel roles are held: the general branch for branches, else the parent.
    static func panelUnit(_ sheet: some SheetFacts, _ viewer: Viewer) -> String {
        sheet.level == .branch ? OrgTree.rootCode : (viewer.chain.dropFirst().first ?? OrgTree.rootCode)
    }

    /// Evidence is uploaded by whoever may write entries now, and after publication by the unit for its objection.
    static func mayUploadEvidence(_ sheet: some SheetFacts, _ viewer: Viewer) throws {
        if sheet.state == .published, viewer.holds(selfRoles(level: sheet.level), on: selfUnit(sheet, viewer)) {
            return
        }
        _ = try writableStage(sheet, viewer)
    }

    /// The stage the viewer may write entries at now, or nil, without building the refusal: a board asks it of
    /// every sheet it lists, and a thrown refusal a sheet cost more than the rest of its row.
    static func openStage(_ sheet: some SheetFacts, _ viewer: Viewer) -> SheetEntry.Stage? {
        if sheet.state == .draft, viewer.holds(selfRoles(level: sheet.level), on: selfUnit(sheet, viewer)) {
            return .selfAssessment
        }
        if sheet.state == .underReview, viewer.holds(panelRoles(level: sheet.level), on: panelUnit(sheet, viewer)) {
            return .panel
        }
        return nil
    }

    /// Which stage the viewer may write entries at now, or why not (403 for the role, 409 for the state).
    static func writableStage(_ sheet: some SheetFacts, _ viewer: Viewer) throws -> SheetEntry.Stage {
        if let stage = openStage(sheet, viewer) { return stage }
        guard
            viewer.holds(selfRoles(level: sheet.level), on: selfUnit(sheet, viewer))
                || viewer.holds(panelRoles(level: sheet.level), on: panelUnit(sheet, viewer))
        else {
            throw Abort(.forbidden, reason: "您无权填写该考核表 (you may not write entries on this sheet)")
        }
        let state = sheet.state.label
        throw Abort(.conflict, reason: "考核表处于“\(state)”状态，不能修改记录 (the sheet's state does not allow entries now)")
    }

    /// The panel of the sheet's level writes opinions, and only while the sheet is under review (403, then 409).
    /// A unit's ledger is read by anyone with a role on it or above it (the routes' `unitOrAbove`), except that a
    /// member's record is read by the member and those above, never by a fellow member: a member's role reaches only
    /// the unit it is held on.
    static func mayReadLedger(of unit: Unit, grants: [RoleGrant], chain: [String]) -> Bool {
        grants.contains { grant in
            unit.kind == .member && grant.role == .member ? grant.unitCode == unit.code : chain.contains(grant.unitCode)
        }
    }

    /// A level's yearly selection is read by the general branch and by those who rate for a unit of the level.
    static func mayReadSelection(of level: Unit.Kind, _ grants: [RoleGrant]) -> Bool {
        readsForTheGeneralBranch(grants) || grants.contains { $0.role == Evaluations.rater(of: level) }
    }

    /// The whole 扣奖 sheet is the general branch's; a branch secretary reads their own branch's line.
    static func mayReadPenalties(_ grants: [RoleGrant]) -> Bool {
        readsForTheGeneralBranch(grants) || grants.contains { $0.role == .branchSecretary }
    }

    /// 申诉 is the assessed unit's: whoever holds its own roles on the sheet's unit.
    static func mayObject(_ sheet: some SheetFacts, _ viewer: Viewer) -> Bool {
        viewer.holds(selfRoles(level: sheet.level), on: selfUnit(sheet, viewer))
    }

    static func requireMayObject(_ sheet: some SheetFacts, _ viewer: Viewer) throws {
        guard mayObject(sheet, viewer) else {
            throw Abort(.forbidden, reason: "只有被考核单位可以申诉 (only the assessed unit files an objection)")
        }
    }

    static func mayWriteOpinion(_ sheet: some SheetFacts, _ viewer: Viewer) throws {
        try requirePanelReviewing(sheet, viewer, doing: "填写考核意见")
    }

    /// 三(二): the panel of the sheet's level confirms or refuses a unit's 从轻/不予扣分, while it reviews.
    static func mayDecideMitigation(_ sheet: some SheetFacts, _ viewer: Viewer) throws {
        try requirePanelReviewing(sheet, viewer, doing: "认可或不认可从轻、不予扣分")
    }

    private static func requirePanelReviewing(_ sheet: some SheetFacts, _ viewer: Viewer, doing what: String) throws {
        guard viewer.holds(panelRoles(level: sheet.level), on: panelUnit(sheet, viewer)) else {
            throw Abort(.forbidden, reason: "只有考核小组可以\(what) (only the panel may)")
        }
        guard sheet.state == .underReview else {
            throw Abort(.conflict, reason: "考核表不在考核小组考核中，不能\(what) (the sheet is not under review)")
        }
    }

    /// Who may take each workflow action on a sheet of this level, and on which unit they must hold the role:
    /// the general branch's organizer, panel leader and approver for branches; the branch's secretary for its
    /// groups; the group leader for its members (办法 三(一)).
    static func actors(of action: WorkflowAction, level: Unit.Kind) -> (roles: Set<Role>, onSelfUnit: Bool) {
        switch (action, level) {
        case (.submit, _): (selfRoles(level: level), true)
        case (.forward, .branch), (.return, .branch): ([.organizer], false)
        case (.review, .branch): ([.panelLeader], false)
        case (.approve, .branch), (.sendBack, .branch): ([.approver], false)
        case (.publish, .branch), (.reopen, .branch): ([.organizer], false)
        case (_, .group): ([.branchSecretary], false)
        default: ([.groupLeader], false)
        }
    }

    /// The actions taken on one sheet. A branch's result is published with its whole period by the organizer;
    /// a group's or member's is published (reported to the general branch, 备案) sheet by sheet by its assessor.
    static func sheetActions(level: Unit.Kind) -> [WorkflowAction] {
        level == .branch
            ? [.submit, .forward, .return, .review, .approve, .sendBack]
            : [.submit, .forward, .return, .review, .approve, .sendBack, .publish]
    }

    static func mayTake(_ action: WorkflowAction, on sheet: some SheetFacts, _ viewer: Viewer) -> Bool {
        let (roles, onSelfUnit) = actors(of: action, level: sheet.level)
        return viewer.holds(roles, on: onSelfUnit ? selfUnit(sheet, viewer) : panelUnit(sheet, viewer))
    }
}
