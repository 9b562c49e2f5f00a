import Vapor

/// Every route, each under its `AccessRule`. `AccessMatrixTests` holds the full role × route table.
func routes(_ app: Application) throws {
    let open = app.requiring(.anyone)
    let uploadLimit = EvidenceUploads.requestBodyLimit(for: app.kaoheSettings.evidence)
    try open.register(collection: HealthController())
    try open.register(collection: OpenAPIController())

    // The JSON API authenticates by bearer token only; with no cookies there is nothing to forge.
    let api = app.grouped("api", "v1").grouped(BearerAuthenticator(), UploadRoute.Gate())
    try api.requiring(.anyone).register(collection: AuthAPIController.TokenIssue())
    let apiSignedIn = api.requiring(.signedIn)
    try apiSignedIn.register(collection: AuthAPIController())
    try apiSignedIn.register(collection: UnitsAPIController())
    // Sheets check the caller's roles against the sheet's unit and state inside (Policy).
    try apiSignedIn.register(collection: SheetsAPIController())
    try apiSignedIn.register(collection: FeedbackAPIController(uploadLimit: uploadLimit))
    try apiSignedIn.register(collection: ResultsAPIController())
    // 办法 七: the roles are checked inside (Policy.generalBranchRoles, penaltyBaseSetters).
    try apiSignedIn.register(collection: PenaltiesAPIController())
    try apiSignedIn.register(collection: VetoesAPIController())
    try apiSignedIn.register(collection: YearAPIController())
    try apiSignedIn.register(collection: ComplianceAPIController())
    try apiSignedIn.register(collection: LedgerStartAPIController())
    // Each paper asks who reads it as its page does; the letterhead is the admin's (Policy.orgManagers).
    try apiSignedIn.register(collection: PapersAPIController())
    try api.requiring(.unitOrAbove(parameter: "unit")).register(collection: UnitMembersAPIController())
    try api.requiring(.unitOrAbove(parameter: "unit")).register(collection: UnitHistoryAPIController())
    try apiSignedIn.register(collection: SearchAPIController())
    try api.requiring(.bureauRoles(Policy.membershipKeepers)).register(collection: MembershipAPIController())
    try api.requiring(.bureauRoles(Policy.membershipKeepers)).register(collection: UnitChangesAPIController())
    try api.requiring(.unitOrAbove(parameter: "unit")).register(collection: ActivitiesAPIController())
    try api.requiring(.unitOrAbove(parameter: "unit")).register(collection: DuesAPIController())
    // Who records each kind of fact is asked inside (Policy.mayRecordFact).
    try api.requiring(.unitOrAbove(parameter: "unit")).register(collection: FactsAPIController())
    try api.requiring(.unitOrAbove(parameter: "unit")).register(
        collection: DocumentsAPIController(uploadLimit: uploadLimit))

    // Pages: cookie session, expiry, CSRF on every form; strangers are sent to sign in.
    let web = app.grouped(
        app.sessions.middleware,
        UserSession.Authenticator(lifetime: app.kaoheSettings.sessionLifetime),
        CSRF.Middleware()
    )
    try web.requiring(.anyone).register(collection: SignInController())
    let signedIn = web.grouped(RedirectToSignIn())
    try signedIn.requiring(.signedIn).register(collection: HomeController())
    try signedIn.requiring(.signedIn).register(collection: PasswordController())
    try signedIn.requiring(.signedIn).register(collection: RubricsController.Reading())
    try signedIn.requiring(.bureauRoles(Policy.rubricEditors)).register(collection: RubricsController())
    try signedIn.requiring(.bureauRoles(Policy.auditReaders)).register(collection: AuditController())
    // Periods, sheets and their workflow check roles against the sheet's unit inside (Policy), as the API does.
    try signedIn.requiring(.signedIn).register(collection: PeriodsController())
    try signedIn.requiring(.signedIn).register(collection: SheetController(uploadLimit: uploadLimit))
    try signedIn.requiring(.bureauRoles(Policy.approvers)).register(collection: ApprovalController())
    // Each sheet's step is asked of `Policy` inside; the page lists only what the user may file.
    try signedIn.requiring(.signedIn).register(collection: FilingController())
    // Results, feedback and objections check roles against the sheet's unit inside (Policy).
    try signedIn.requiring(.signedIn).register(collection: ResultsController())
    try signedIn.requiring(.signedIn).register(collection: PenaltiesController())
    try signedIn.requiring(.signedIn).register(collection: VetoesController())
    try signedIn.requiring(.signedIn).register(collection: ComplianceController())
    try signedIn.requiring(.signedIn).register(collection: SelectionController())
    try signedIn.requiring(.signedIn).register(collection: PapersController())
    try signedIn.requiring(.signedIn).register(collection: FeedbackController(uploadLimit: uploadLimit))
    try signedIn.requiring(.unitOrAbove(parameter: "unit")).register(
        collection: LedgerController(uploadLimit: uploadLimit))
    try signedIn.requiring(.unitOrAbove(parameter: "unit")).register(collection: UnitRecordController())
    try signedIn.requiring(.unitOrAbove(parameter: "unit")).register(collection: FactsController())
    try signedIn.requiring(.signedIn).register(collection: SearchController())
    let admin = signedIn.requiring(.bureauRoles(Policy.orgManagers))
    try admin.register(collection: OrgAdminController())
    try admin.register(collection: MembershipController())
    try admin.register(collection: UnitChangeController())
    try admin.register(collection: UsersAdminController())
}
