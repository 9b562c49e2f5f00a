import Fluent
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Every route of the application against every role: allowed or refused, decided on the server.
    /// A route registered without a line here fails `everyRouteHasALine`.
    @Suite struct AccessMatrixTests {
        enum Expect {
            case everyone
            case signedIn
            case roles(Set<Role>)

            func allows(_ role: Role?) -> Bool {
                switch self {
                case .everyone: true
                case .signedIn: role != nil
                case .roles(let roles): role.map(roles.contains) ?? false
                }
            }
        }

        struct Line {
            let method: HTTPMethod
            let path: String  // as registered, with :parameters
            let example: String  // a concrete path to call
            let expect: Expect
            var isAPI: Bool { path.hasPrefix("/api/") }
        }

        /// The roles held on the general branch in the demo bureau.
        static let bureau: Set<Role> = [.admin, .organizer, .panelMember, .panelLeader, .approver, .deputySecretary]
        /// The general branch's roles of 办法 七 (a panel member is not among them).
        static let generalBranch: Set<Role> = [.admin, .organizer, .panelLeader, .approver, .deputySecretary]

        /// On branch-1's draft: the branch writes (400 for the empty body), the panel is told to wait (409);
        /// the bureau's other roles may read but not write (403). A group leader or member is not refused here
        /// but answered 404, as if the sheet did not exist: SheetTests pin those.
        static let sheetWriters: Set<Role> = [
            .branchSecretary, .committeeMember, .panelLeader, .panelMember, .groupLeader, .member,
        ]

        static let table: [Line] = [
            Line(method: .GET, path: "/healthz", example: "/healthz", expect: .everyone),
            Line(method: .GET, path: "/openapi.json", example: "/openapi.json", expect: .everyone),
            Line(method: .POST, path: "/api/v1/auth/token", example: "/api/v1/auth/token", expect: .everyone),
            Line(method: .GET, path: "/api/v1/me", example: "/api/v1/me", expect: .signedIn),
            Line(method: .GET, path: "/api/v1/me/inbox", example: "/api/v1/me/inbox", expect: .signedIn),
            Line(method: .GET, path: "/api/v1/units", example: "/api/v1/units", expect: .signedIn),
            // A branch's own roles and the bureau's roles see its roster; a group below it does not.
            Line(
                method: .GET, path: "/api/v1/units/:unit/members", example: "/api/v1/units/branch-1/members",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember]))),
            // A role on branch-1 gives nothing on its sibling branch-2.
            Line(
                method: .GET, path: "/api/v1/units/:unit/members", example: "/api/v1/units/branch-2/members",
                expect: .roles(bureau)),
            // A unit's history is read as its roster is; a member's 组织关系 is kept by the admin and the organizer.
            Line(
                method: .GET, path: "/api/v1/units/:unit/history", example: "/api/v1/units/branch-1/history",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember]))),
            Line(method: .POST, path: "/api/v1/units", example: "/api/v1/units", expect: .roles([.admin, .organizer])),
            Line(
                method: .POST, path: "/api/v1/units/:unit/membership",
                example: "/api/v1/units/branch-1-group-1-member-3/membership", expect: .roles([.admin, .organizer])),
            Line(
                method: .PATCH, path: "/api/v1/units/:unit", example: "/api/v1/units/branch-1",
                expect: .roles([.admin, .organizer])),
            Line(
                method: .DELETE, path: "/api/v1/units/:unit", example: "/api/v1/units/branch-1",
                expect: .roles([.admin, .organizer])),
            // A group's leader and member see their own group.
            Line(
                method: .GET, path: "/api/v1/units/:unit/members", example: "/api/v1/units/branch-1-group-1/members",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember, .groupLeader, .member]))),
            // 活动台账: read like the roster; recorded only by the unit's secretary (a group's leader for a group).
            Line(
                method: .GET, path: "/api/v1/units/:unit/activities", example: "/api/v1/units/branch-1/activities",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember]))),
            Line(
                method: .GET, path: "/api/v1/units/:unit/activities",
                example: "/api/v1/units/branch-1-group-1/activities",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember, .groupLeader, .member]))),
            Line(
                method: .POST, path: "/api/v1/units/:unit/activities", example: "/api/v1/units/branch-1/activities",
                expect: .roles([.branchSecretary])),
            Line(
                method: .POST, path: "/api/v1/units/:unit/activities",
                example: "/api/v1/units/branch-1-group-1/activities",
                expect: .roles([.groupLeader])),
            Line(
                method: .DELETE, path: "/api/v1/units/:unit/activities/:activity",
                example: "/api/v1/units/branch-1/activities/00000000-0000-0000-0000-000000000000",
                expect: .roles([.branchSecretary])),
            // Importing past records: the unit's own recorder (400/422 for the empty body).
            Line(
                method: .POST, path: "/api/v1/units/:unit/activities/import",
                example: "/api/v1/units/branch-1/activities/import",
                expect: .roles([.branchSecretary])),
            Line(
                method: .POST, path: "/units/:unit/ledger/import", example: "/units/branch-1/ledger/import",
                expect: .roles([.branchSecretary])),
            // 部分记账 ends when the unit's own recorder says so.
            Line(
                method: .POST, path: "/api/v1/units/:unit/ledger/complete",
                example: "/api/v1/units/branch-1/ledger/complete",
                expect: .roles([.branchSecretary])),
            Line(
                method: .POST, path: "/api/v1/units/:unit/ledger/complete",
                example: "/api/v1/units/branch-1-group-1/ledger/complete",
                expect: .roles([.groupLeader])),
            Line(
                method: .POST, path: "/units/:unit/ledger/complete", example: "/units/branch-1/ledger/complete",
                expect: .roles([.branchSecretary])),
            // 党费: read like the ledger; saved only by the branch's own secretary.
            Line(
                method: .GET, path: "/api/v1/units/:unit/dues", example: "/api/v1/units/branch-1/dues",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember]))),
            Line(
                method: .PUT, path: "/api/v1/units/:unit/dues/:month", example: "/api/v1/units/branch-1/dues/2026-09",
                expect: .roles([.branchSecretary])),
            Line(
                method: .POST, path: "/units/:unit/ledger/dues", example: "/units/branch-1/ledger/dues",
                expect: .roles([.branchSecretary])),
            // 计划与总结 (细则 2.3): read like the ledger, recorded by the unit's own secretary.
            Line(
                method: .GET, path: "/api/v1/units/:unit/documents", example: "/api/v1/units/branch-1/documents",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember]))),
            Line(
                method: .POST, path: "/api/v1/units/:unit/documents", example: "/api/v1/units/branch-1/documents",
                expect: .roles([.branchSecretary])),
            Line(
                method: .POST, path: "/units/:unit/ledger/documents", example: "/units/branch-1/ledger/documents",
                expect: .roles([.branchSecretary])),
            Line(
                method: .POST, path: "/api/v1/units/:unit/documents/import",
                example: "/api/v1/units/branch-1/documents/import",
                expect: .roles([.branchSecretary])),
            Line(
                method: .POST, path: "/api/v1/units/:unit/dues/import", example: "/api/v1/units/branch-1/dues/import",
                expect: .roles([.branchSecretary])),
            // The plan itself: attached by the unit's recorder, read like the ledger (404 for an unknown record).
            Line(
                method: .POST, path: "/api/v1/units/:unit/documents/:document/file",
                example: "/api/v1/units/branch-1/documents/00000000-0000-0000-0000-000000000000/file",
                expect: .roles([.branchSecretary])),
            Line(
                method: .GET, path: "/api/v1/units/:unit/documents/:document/file",
                example: "/api/v1/units/branch-1/documents/00000000-0000-0000-0000-000000000000/file",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember]))),
            Line(
                method: .POST, path: "/units/:unit/ledger/documents/:document/file",
                example: "/units/branch-1/ledger/documents/00000000-0000-0000-0000-000000000000/file",
                expect: .roles([.branchSecretary])),
            Line(
                method: .GET, path: "/units/:unit/ledger/documents/:document/file",
                example: "/units/branch-1/ledger/documents/00000000-0000-0000-0000-000000000000/file",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember]))),
            // 台账对照: the whole bureau's ledgers, for the general branch.
            Line(
                method: .GET, path: "/api/v1/compliance", example: "/api/v1/compliance?period=2026Q3",
                expect: .roles(generalBranch)),
            Line(
                method: .GET, path: "/api/v1/compliance.csv", example: "/api/v1/compliance.csv?period=2026Q3",
                expect: .roles(generalBranch)),
            Line(
                method: .GET, path: "/api/v1/compliance.xlsx", example: "/api/v1/compliance.xlsx?period=2026Q3",
                expect: .roles(generalBranch)),
            Line(
                method: .GET, path: "/compliance", example: "/compliance?period=2026Q3", expect: .roles(generalBranch)),
            Line(method: .GET, path: "/compliance.csv", example: "/compliance.csv", expect: .roles(generalBranch)),
            Line(method: .GET, path: "/compliance.xlsx", example: "/compliance.xlsx", expect: .roles(generalBranch)),
            // 台账启用日: read by anyone signed in, set by the organizer alone.
            Line(method: .GET, path: "/api/v1/settings/ledger", example: "/api/v1/settings/ledger", expect: .signedIn),
            Line(
                method: .PUT, path: "/api/v1/settings/ledger", example: "/api/v1/settings/ledger",
                expect: .roles([.organizer])),
            Line(
                method: .POST, path: "/compliance/ledger-start", example: "/compliance/ledger-start",
                expect: .roles([.organizer])),
            Line(
                method: .POST, path: "/units/:unit/ledger/:activity/withdraw",
                example: "/units/branch-1/ledger/00000000-0000-0000-0000-000000000000/withdraw",
                expect: .roles([.branchSecretary])),
            Line(
                method: .GET, path: "/units/:unit/ledger", example: "/units/branch-1/ledger",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember]))),
            Line(method: .GET, path: "/units/:unit/ledger", example: "/units/branch-2/ledger", expect: .roles(bureau)),
            // 档案 is read as the ledger is; the search box is everyone's, finding only what each may read.
            Line(
                method: .GET, path: "/units/:unit/record", example: "/units/branch-1/record",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember]))),
            // 年度评议与测评: read as the ledger is; the organizer records every kind, the branch's secretary its
            // members' 民主评议 and its 满意率; 内审 findings are the organizer's alone.
            Line(
                method: .GET, path: "/api/v1/units/:unit/facts/:year", example: "/api/v1/units/branch-1/facts/2026",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember]))),
            Line(
                method: .PUT, path: "/api/v1/units/:unit/facts/:year", example: "/api/v1/units/branch-1/facts/2026",
                expect: .roles([.organizer, .branchSecretary])),
            Line(
                method: .POST, path: "/api/v1/units/:unit/facts/:year/findings",
                example: "/api/v1/units/branch-1/facts/2026/findings", expect: .roles([.organizer])),
            Line(
                method: .DELETE, path: "/api/v1/units/:unit/facts/:year/findings/:id",
                example: "/api/v1/units/branch-1/facts/2026/findings/00000000-0000-0000-0000-000000000000",
                expect: .roles([.organizer])),
            Line(
                method: .GET, path: "/units/:unit/facts", example: "/units/branch-1/facts",
                expect: .roles(bureau.union([.branchSecretary, .committeeMember]))),
            Line(
                method: .POST, path: "/units/:unit/facts", example: "/units/branch-1/facts?year=2026",
                expect: .roles([.organizer, .branchSecretary])),
            Line(
                method: .POST, path: "/units/:unit/facts/findings", example: "/units/branch-1/facts/findings?year=2026",
                expect: .roles([.organizer])),
            Line(
                method: .POST, path: "/units/:unit/facts/findings/:id/remove",
                example: "/units/branch-1/facts/findings/00000000-0000-0000-0000-000000000000/remove?year=2026",
                expect: .roles([.organizer])),
            Line(method: .GET, path: "/search", example: "/search?q=支部", expect: .signedIn),
            Line(method: .GET, path: "/api/v1/search", example: "/api/v1/search?q=branch", expect: .signedIn),
            Line(
                method: .POST, path: "/units/:unit/ledger", example: "/units/branch-1/ledger",
                expect: .roles([.branchSecretary])),
            Line(
                method: .POST, path: "/units/:unit/ledger", example: "/units/branch-1-group-1/ledger",
                expect: .roles([.groupLeader])),
            Line(method: .GET, path: "/api/v1/periods", example: "/api/v1/periods", expect: .signedIn),
            Line(method: .POST, path: "/api/v1/periods", example: "/api/v1/periods", expect: .roles([.organizer])),
            Line(
                method: .DELETE, path: "/api/v1/periods/:period", example: "/api/v1/periods/2026Q3",
                expect: .roles([.organizer])),
            Line(
                method: .PATCH, path: "/api/v1/periods/:period", example: "/api/v1/periods/2026Q3",
                expect: .roles([.organizer])),
            Line(
                method: .GET, path: "/api/v1/periods/:period/assessments",
                example: "/api/v1/periods/2026Q3/assessments",
                expect: .signedIn),
            // Setting a suggestion aside: as adding an entry (the branch in draft; the bureau's other roles 403).
            Line(
                method: .POST, path: "/api/v1/periods/:period/assessments/:unit/suggestions/dismiss",
                example: "/api/v1/periods/2026Q3/assessments/branch-1/suggestions/dismiss", expect: .roles(sheetWriters)
            ),
            Line(
                method: .POST, path: "/periods/:period/sheets/:unit/suggestions/dismiss",
                example: "/periods/2026Q3/sheets/branch-1/suggestions/dismiss", expect: .roles(sheetWriters)),
            // Sheets answer 404 for a sheet the caller may not see; the line checks no 401/403 leaks for readers.
            Line(
                method: .GET, path: "/api/v1/periods/:period/assessments/:unit",
                example: "/api/v1/periods/2026Q3/assessments/branch-1",
                expect: .signedIn),
            Line(
                method: .POST, path: "/api/v1/periods/:period/assessments/:unit/entries",
                example: "/api/v1/periods/2026Q3/assessments/branch-1/entries",
                expect: .roles(sheetWriters)),
            Line(
                method: .DELETE, path: "/api/v1/periods/:period/assessments/:unit/entries/:entry",
                example: "/api/v1/periods/2026Q3/assessments/branch-1/entries/00000000-0000-0000-0000-000000000000",
                expect: .roles(sheetWriters)),
            // The panel decides a unit's mitigation (409 on a draft); the last two answered 404.
            Line(
                method: .POST, path: "/api/v1/periods/:period/assessments/:unit/entries/:entry/mitigation",
                example:
                    "/api/v1/periods/2026Q3/assessments/branch-1/entries/00000000-0000-0000-0000-000000000000/mitigation",
                expect: .roles([.panelLeader, .panelMember, .groupLeader, .member])),
            Line(
                method: .POST, path: "/api/v1/periods/:period/assessments/:unit/actions/:action",
                example: "/api/v1/periods/2026Q3/assessments/branch-1/actions/submit",
                expect: .roles([.branchSecretary, .committeeMember, .groupLeader, .member])),  // the last two: 404
            // The panel writes opinions (409 on a draft); the rest are refused, or answered 404 below the branch.
            Line(
                method: .POST, path: "/api/v1/periods/:period/assessments/:unit/opinions",
                example: "/api/v1/periods/2026Q3/assessments/branch-1/opinions",
                expect: .roles([.panelLeader, .panelMember, .groupLeader, .member])),
            Line(
                method: .POST, path: "/api/v1/periods/:period/assessments/:unit/evidence",
                example: "/api/v1/periods/2026Q3/assessments/branch-1/evidence", expect: .roles(sheetWriters)),
            Line(
                method: .GET, path: "/api/v1/periods/:period/assessments/:unit/evidence/:evidence",
                example: "/api/v1/periods/2026Q3/assessments/branch-1/evidence/00000000-0000-0000-0000-000000000000",
                expect: .signedIn),
            Line(
                method: .POST, path: "/api/v1/periods/:period/assessments/:unit/objection",
                example: "/api/v1/periods/2026Q3/assessments/branch-1/objection",
                expect: .roles([.branchSecretary, .committeeMember, .groupLeader, .member])),
            Line(
                method: .POST, path: "/api/v1/periods/:period/assessments/:unit/objection/:decision",
                example: "/api/v1/periods/2026Q3/assessments/branch-1/objection/uphold",
                expect: .roles([.organizer, .groupLeader, .member])),
            Line(
                method: .POST, path: "/api/v1/periods/:period/publish", example: "/api/v1/periods/2026Q3/publish",
                expect: .roles([.organizer])),
            Line(
                method: .GET, path: "/api/v1/periods/:period/results", example: "/api/v1/periods/2026Q3/results",
                expect: .signedIn),
            Line(
                method: .GET, path: "/api/v1/periods/:period/results.csv",
                example: "/api/v1/periods/2026Q3/results.csv", expect: .signedIn),
            Line(
                method: .GET, path: "/api/v1/periods/:period/results.xlsx",
                example: "/api/v1/periods/2026Q3/results.xlsx", expect: .signedIn),
            Line(method: .GET, path: "/periods/:period/results", example: "/periods/2026Q3/results", expect: .signedIn),
            Line(
                method: .GET, path: "/periods/:period/results/notice", example: "/periods/2026Q3/results/notice",
                expect: .signedIn),
            Line(
                method: .GET, path: "/periods/:period/results.csv", example: "/periods/2026Q3/results.csv",
                expect: .signedIn),
            Line(
                method: .GET, path: "/periods/:period/results.xlsx", example: "/periods/2026Q3/results.xlsx",
                expect: .signedIn),
            Line(
                method: .POST, path: "/periods/:period/publish", example: "/periods/2026Q3/publish",
                expect: .roles([.organizer])),
            // 扣奖 (办法 七(一)): the organizer sets the bases; the general branch's roles read the sheet (409 before it is
            // published, which is not a refusal); a branch secretary reads their own line on the page.
            Line(
                method: .PUT, path: "/api/v1/periods/:period/penalties/bases",
                example: "/api/v1/periods/2026Q3/penalties/bases",
                expect: .roles([.organizer])),
            Line(
                method: .GET, path: "/api/v1/periods/:period/penalties", example: "/api/v1/periods/2026Q3/penalties",
                expect: .roles(generalBranch)),
            Line(
                method: .GET, path: "/api/v1/periods/:period/penalties.csv",
                example: "/api/v1/periods/2026Q3/penalties.csv",
                expect: .roles(generalBranch)),
            Line(
                method: .GET, path: "/api/v1/periods/:period/penalties.xlsx",
                example: "/api/v1/periods/2026Q3/penalties.xlsx",
                expect: .roles(generalBranch)),
            Line(
                method: .GET, path: "/periods/:period/penalties", example: "/periods/2026Q3/penalties",
                expect: .roles(generalBranch.union([.branchSecretary]))),
            Line(
                method: .GET, path: "/periods/:period/penalties/print", example: "/periods/2026Q3/penalties/print",
                expect: .roles(generalBranch.union([.branchSecretary]))),
            Line(
                method: .GET, path: "/periods/:period/penalties.csv", example: "/periods/2026Q3/penalties.csv",
                expect: .roles(generalBranch)),
            Line(
                method: .GET, path: "/periods/:period/penalties.xlsx", example: "/periods/2026Q3/penalties.xlsx",
                expect: .roles(generalBranch)),
            Line(
                method: .POST, path: "/periods/:period/penalties/bases", example: "/periods/2026Q3/penalties/bases",
                expect: .roles([.organizer])),
            Line(
                method: .POST, path: "/periods/:period/penalties/import", example: "/periods/2026Q3/penalties/import",
                expect: .roles([.organizer])),
            // 一票否决 (办法 七(二)): recorded and withdrawn by the organizer or the approver; read by the general branch's
            // roles and the branch's own secretary.
            Line(
                method: .POST, path: "/api/v1/units/:unit/vetoes", example: "/api/v1/units/branch-1/vetoes",
                expect: .roles([.organizer, .approver])),
            Line(
                method: .GET, path: "/api/v1/units/:unit/vetoes", example: "/api/v1/units/branch-1/vetoes",
                expect: .roles(generalBranch.union([.branchSecretary]))),
            Line(
                method: .GET, path: "/api/v1/units/:unit/vetoes", example: "/api/v1/units/branch-2/vetoes",
                expect: .roles(generalBranch)),
            Line(
                method: .DELETE, path: "/api/v1/units/:unit/vetoes/:id",
                example: "/api/v1/units/branch-1/vetoes/00000000-0000-0000-0000-000000000000?reason=x",
                expect: .roles([.organizer, .approver])),
            Line(
                method: .GET, path: "/years/:year/vetoes", example: "/years/2026/vetoes",
                expect: .roles(generalBranch.union([.branchSecretary]))),
            // 年度评选 (办法 七(二)): each unit's rater rates for it (a branch's secretary, a group's leader, the member);
            // the panel leader rates; the general branch reads; the approver decides (409 before the year is complete).
            Line(
                method: .PUT, path: "/api/v1/years/:year/evaluations/self",
                example: "/api/v1/years/2026/evaluations/self", expect: .signedIn),
            Line(
                method: .PUT, path: "/api/v1/years/:year/evaluations/peer",
                example: "/api/v1/years/2026/evaluations/peer", expect: .signedIn),
            Line(
                method: .PUT, path: "/api/v1/years/:year/evaluations/panel",
                example: "/api/v1/years/2026/evaluations/panel", expect: .signedIn),
            Line(
                method: .GET, path: "/api/v1/years/:year/selection", example: "/api/v1/years/2026/selection",
                expect: .roles(generalBranch)),
            Line(
                method: .POST, path: "/api/v1/years/:year/decision", example: "/api/v1/years/2026/decision",
                expect: .signedIn),
            Line(
                method: .GET, path: "/years/:year/selection", example: "/years/2026/selection",
                expect: .roles(generalBranch.union([.branchSecretary]))),
            Line(
                method: .GET, path: "/years/:year/selection", example: "/years/2026/selection?level=group",
                expect: .roles(generalBranch.union([.groupLeader]))),
            // A refused rating comes back on the selection page, which only its readers and raters see.
            Line(
                method: .POST, path: "/years/:year/selection/self", example: "/years/2026/selection/self",
                expect: .roles(generalBranch.union([.branchSecretary]))),
            Line(
                method: .POST, path: "/years/:year/selection/peer", example: "/years/2026/selection/peer",
                expect: .roles(generalBranch.union([.branchSecretary]))),
            Line(
                method: .POST, path: "/years/:year/selection/panel", example: "/years/2026/selection/panel",
                expect: .roles([.panelLeader])),
            Line(
                method: .POST, path: "/years/:year/selection/decision", example: "/years/2026/selection/decision",
                expect: .roles([.approver])),
            Line(
                method: .GET, path: "/years/:year/certificates", example: "/years/2026/certificates",
                expect: .roles(generalBranch)),
            Line(
                method: .GET, path: "/years/:year/certificates/:unit", example: "/years/2026/certificates/branch-1",
                expect: .signedIn),
            // The papers as Word (Papers): each read as the page beside it is read; 404 and 409 are not refusals.
            Line(
                method: .GET, path: "/api/v1/settings/letterhead", example: "/api/v1/settings/letterhead",
                expect: .signedIn),
            Line(
                method: .PUT, path: "/api/v1/settings/letterhead", example: "/api/v1/settings/letterhead",
                expect: .roles([.admin])),
            Line(
                method: .GET, path: "/api/v1/periods/:period/results/notice.docx",
                example: "/api/v1/periods/2026Q3/results/notice.docx", expect: .signedIn),
            Line(
                method: .GET, path: "/api/v1/periods/:period/penalties.docx",
                example: "/api/v1/periods/2026Q3/penalties.docx", expect: .roles(generalBranch)),
            // A draft is its unit's and the bureau's; below the branch it answers 404, not a refusal.
            Line(
                method: .GET, path: "/api/v1/periods/:period/assessments/:unit/document.docx",
                example: "/api/v1/periods/2026Q3/assessments/branch-1/document.docx", expect: .signedIn),
            Line(
                method: .GET, path: "/api/v1/years/:year/certificates/:certificate",
                example: "/api/v1/years/2026/certificates/branch-1.docx", expect: .signedIn),
            Line(
                method: .GET, path: "/api/v1/years/:year/certificates.docx",
                example: "/api/v1/years/2026/certificates.docx", expect: .roles(generalBranch)),
            Line(
                method: .GET, path: "/api/v1/years/:year/selection.docx", example: "/api/v1/years/2026/selection.docx",
                expect: .signedIn),
            Line(
                method: .GET, path: "/periods/:period/results/notice.docx",
                example: "/periods/2026Q3/results/notice.docx", expect: .signedIn),
            Line(
                method: .GET, path: "/periods/:period/penalties.docx", example: "/periods/2026Q3/penalties.docx",
                expect: .roles(generalBranch)),
            Line(
                method: .GET, path: "/periods/:period/sheets/:unit/document.docx",
                example: "/periods/2026Q3/sheets/branch-1/document.docx", expect: .signedIn),
            Line(
                method: .GET, path: "/years/:year/certificates.docx", example: "/years/2026/certificates.docx",
                expect: .roles(generalBranch)),
            Line(
                method: .GET, path: "/years/:year/selection.docx", example: "/years/2026/selection.docx",
                expect: .signedIn),
            Line(method: .GET, path: "/periods/:period/filing", example: "/periods/2026Q3/filing", expect: .signedIn),
            Line(
                method: .POST, path: "/admin/org/letterhead", example: "/admin/org/letterhead", expect: .roles([.admin])
            ),
            Line(method: .POST, path: "/periods/:period/filing", example: "/periods/2026Q3/filing", expect: .signedIn),
            // Each sheet answers for itself inside: the request is everyone's, the steps are not.
            Line(
                method: .POST, path: "/api/v1/periods/:period/assessments/actions/:action",
                example: "/api/v1/periods/2026Q3/assessments/actions/forward", expect: .signedIn),
            Line(
                method: .POST, path: "/years/:year/vetoes", example: "/years/2026/vetoes",
                expect: .roles([.organizer, .approver])),
            Line(
                method: .POST, path: "/years/:year/vetoes/:id/withdraw",
                example: "/years/2026/vetoes/00000000-0000-0000-0000-000000000000/withdraw",
                expect: .roles([.organizer, .approver])),
            Line(
                method: .GET, path: "/periods/:period/sheets/:unit/feedback",
                example: "/periods/2026Q3/sheets/branch-1/feedback",
                expect: .signedIn),
            Line(
                method: .POST, path: "/periods/:period/sheets/:unit/evidence",
                example: "/periods/2026Q3/sheets/branch-1/evidence",
                expect: .roles(sheetWriters)),
            Line(
                method: .GET, path: "/periods/:period/sheets/:unit/evidence/:evidence",
                example: "/periods/2026Q3/sheets/branch-1/evidence/00000000-0000-0000-0000-000000000000",
                expect: .signedIn),
            Line(
                method: .POST, path: "/periods/:period/sheets/:unit/objection",
                example: "/periods/2026Q3/sheets/branch-1/objection",
                expect: .roles([.branchSecretary, .committeeMember, .groupLeader, .member])),
            Line(
                method: .POST, path: "/periods/:period/sheets/:unit/objection/:decision",
                example: "/periods/2026Q3/sheets/branch-1/objection/uphold",
                expect: .roles([.organizer, .groupLeader, .member])),
            // 考核期 and 考核表 pages: the same checks as the API's sheet routes (SheetLookup, Policy).
            Line(method: .GET, path: "/periods", example: "/periods", expect: .signedIn),
            Line(method: .POST, path: "/periods", example: "/periods", expect: .roles([.organizer])),
            Line(method: .GET, path: "/periods/:period", example: "/periods/2026Q3", expect: .signedIn),
            Line(
                method: .POST, path: "/periods/:period/deadlines", example: "/periods/2026Q3/deadlines",
                expect: .roles([.organizer])),
            Line(
                method: .POST, path: "/periods/:period/withdraw", example: "/periods/2026Q3/withdraw",
                expect: .roles([.organizer])),
            Line(
                method: .GET, path: "/periods/:period/sheets/:unit", example: "/periods/2026Q3/sheets/branch-1",
                expect: .signedIn),
            Line(
                method: .POST, path: "/periods/:period/sheets/:unit/entries",
                example: "/periods/2026Q3/sheets/branch-1/entries",
                expect: .roles(sheetWriters)),
            Line(
                method: .POST, path: "/periods/:period/sheets/:unit/entries/:entry/delete",
                example: "/periods/2026Q3/sheets/branch-1/entries/00000000-0000-0000-0000-000000000000/delete",
                expect: .roles(sheetWriters)),
            Line(
                method: .POST, path: "/periods/:period/sheets/:unit/entries/:entry/mitigation",
                example: "/periods/2026Q3/sheets/branch-1/entries/00000000-0000-0000-0000-000000000000/mitigation",
                expect: .roles([.panelLeader, .panelMember, .groupLeader, .member])),
            Line(
                method: .POST, path: "/periods/:period/sheets/:unit/actions/:action",
                example: "/periods/2026Q3/sheets/branch-1/actions/submit",
                expect: .roles([.branchSecretary, .committeeMember, .groupLeader, .member])),  // the last two: 404
            Line(
                method: .POST, path: "/periods/:period/sheets/:unit/opinions",
                example: "/periods/2026Q3/sheets/branch-1/opinions",
                expect: .roles([.panelLeader, .panelMember, .groupLeader, .member])),
            Line(
                method: .GET, path: "/periods/:period/approval", example: "/periods/2026Q3/approval",
                expect: .roles([.approver])),
            Line(
                method: .POST, path: "/periods/:period/approval", example: "/periods/2026Q3/approval",
                expect: .roles([.approver])),
            Line(method: .GET, path: "/login", example: "/login", expect: .everyone),
            Line(method: .POST, path: "/login", example: "/login", expect: .everyone),
            Line(method: .POST, path: "/logout", example: "/logout", expect: .everyone),
            Line(method: .GET, path: "/", example: "/", expect: .signedIn),
            Line(method: .GET, path: "/account/password", example: "/account/password", expect: .signedIn),
            Line(method: .POST, path: "/account/password", example: "/account/password", expect: .signedIn),
            Line(method: .GET, path: "/audit", example: "/audit", expect: .roles([.admin, .organizer])),
            Line(method: .GET, path: "/admin/org", example: "/admin/org", expect: .roles([.admin])),
            Line(method: .POST, path: "/admin/org/units", example: "/admin/org/units", expect: .roles([.admin])),
            Line(method: .POST, path: "/admin/org/import", example: "/admin/org/import", expect: .roles([.admin])),
            Line(
                method: .POST, path: "/admin/org/import/confirm", example: "/admin/org/import/confirm",
                expect: .roles([.admin])),
            Line(method: .GET, path: "/admin/users", example: "/admin/users", expect: .roles([.admin])),
            Line(
                method: .GET, path: "/admin/org/units/:code", example: "/admin/org/units/branch-1",
                expect: .roles([.admin])),
            Line(
                method: .POST, path: "/admin/org/units/:code", example: "/admin/org/units/branch-1",
                expect: .roles([.admin])),
            Line(
                method: .POST, path: "/admin/org/units/:code/membership",
                example: "/admin/org/units/branch-1-group-1-member-3/membership", expect: .roles([.admin])),
            Line(
                method: .POST, path: "/admin/org/units/:code/change", example: "/admin/org/units/branch-1/change",
                expect: .roles([.admin])),
            Line(
                method: .POST, path: "/admin/org/units/:code/end", example: "/admin/org/units/branch-1/end",
                expect: .roles([.admin])),
            Line(method: .GET, path: "/rubrics", example: "/rubrics", expect: .signedIn),
            Line(method: .GET, path: "/rubrics/:key/:number", example: "/rubrics/bureau-branch/1", expect: .signedIn),
            Line(
                method: .GET, path: "/rubrics/:key/:number/yaml", example: "/rubrics/bureau-branch/1/yaml",
                expect: .signedIn),
            Line(method: .POST, path: "/rubrics", example: "/rubrics", expect: .roles([.admin])),
            Line(
                method: .POST, path: "/rubrics/:key/:number/edit", example: "/rubrics/bureau-branch/1/edit",
                expect: .roles([.admin])),
            Line(method: .POST, path: "/admin/users", example: "/admin/users", expect: .roles([.admin])),
            Line(
                method: .POST, path: "/admin/users/:username/roles", example: "/admin/users/zhibu2/roles",
                expect: .roles([.admin])),
            Line(
                method: .POST, path: "/admin/users/:username/roles/:grant/revoke",
                example: "/admin/users/zhibu2/roles/00000000-0000-0000-0000-000000000000/revoke",
                expect: .roles([.admin])),
            // Last: it revokes the token the lines above were called with.
            Line(method: .DELETE, path: "/api/v1/auth/token", example: "/api/v1/auth/token", expect: .signedIn),
        ]

        /// One signed-in identity per role, each on the unit where that role is held in the demo bureau.
        static let identities: [(username: String, role: Role?)] = [
            ("admin", .admin), ("zuzhi", .organizer), ("kaohe1", .panelLeader), ("kaohe2", .panelMember),
            ("shuji", .approver), ("fushuji", .deputySecretary), ("zhibu1", .branchSecretary),
            ("zhiwei1", .committeeMember), ("xiaozu1", .groupLeader), ("dangyuan1", .member), ("", nil),
        ]

        @Test func everyRouteHasALine() async throws {
            try await withKaohe { app in
                let registered = Set(
                    app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") }
                )
                let tabled = Set(Self.table.map { "\($0.method.rawValue) \($0.path)" })
                #expect(
                    registered.subtracting(tabled).isEmpty,
                    "routes without an access line: \(registered.subtracting(tabled).sorted())")
                #expect(
                    tabled.subtracting(registered).isEmpty,
                    "lines for routes that do not exist: \(tabled.subtracting(registered).sorted())")
            }
        }

        @Test func everyRoleMeetsItsLine() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                try await Accounts.create(
                    username: "zhiwei1", displayName: "支委",
                    passwordHash: try await app.password.async.hash(DemoBureau.password),
                    roles: [("committeeMember", "branch-1")], actor: "test", on: app.db)
                for identity in Self.identities {
                    let token =
                        identity.role == nil ? nil : try await apiToken(app, identity.username, DemoBureau.password)
                    for line in Self.table {
                        let allowed = try await call(app, line, as: identity.username, token: token)
                        let name = identity.role?.rawValue ?? "anonymous"
                        #expect(allowed == line.expect.allows(identity.role), "\(name) \(line.method) \(line.path)")
                    }
                }
            }
        }

        /// Issue 27, 备案: a published group's and member's sheet, route by route, for every role and another branch's
        /// secretary: read by the general branch's roles, the branch and group above and the person concerned; 404
        /// (as if it did not exist) for anyone else, on the API, the pages and the evidence alike.
        @Test func filedSheetsAreReadByThoseConcernedOnEveryRoute() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                try await Accounts.create(
                    username: "zhiwei1", displayName: "支委",
                    passwordHash: try await app.password.async.hash(DemoBureau.password),
                    roles: [("committeeMember", "branch-1")], actor: "test", on: app.db)
                var api = QuarterAPI(app)
                let group = "branch-1-group-1", member = "branch-1-group-1-member-2"
                let file = try await api.upload(member, as: "xiaozu1", filename: "记录.txt", data: Data("记录".utf8))
                let evidence = try file.content.decode(EvidenceDTO.self).id
                for unit in [group, member] {
                    let leader =
                        unit == group
                        ? ["xiaozu1", "zhibu1", "zhibu1", "zhibu1", "zhibu1"]
                        : Array(
                            repeating: "xiaozu1", count: 5)
                    for (action, user) in zip(["submit", "forward", "review", "approve", "publish"], leader) {
                        #expect(try await api.act(action, on: unit, as: user).status == .ok, "\(action) \(unit)")
                    }
                }
                let generalBranch = ["admin", "zuzhi", "kaohe1", "kaohe2", "shuji", "fushuji"]
                let readers: [String: Set<String>] = [
                    group: Set(generalBranch + ["zhibu1", "zhiwei1", "xiaozu1", "dangyuan1"]),
                    member: Set(generalBranch + ["zhibu1", "zhiwei1", "xiaozu1"]),
                ]
                for (username, _) in Self.identities.filter({ $0.role != nil }) + [("zhibu2", .branchSecretary)] {
                    let browser = try await Browser.signedIn(app, username, on: "/")
                    for unit in [group, member] {
                        var paths = [
                            "/periods/2026Q3/sheets/\(unit)", "/periods/2026Q3/sheets/\(unit)/feedback",
                        ]
                        if unit == member { paths.append("/periods/2026Q3/sheets/\(unit)/evidence/\(evidence)") }
                        var statuses = [try await api.call(.GET, "assessments/\(unit)", as: username).status]
                        if unit == member {
                            statuses.append(
                                try await api.call(.GET, "assessments/\(unit)/evidence/\(evidence)", as: username)
                                    .status)
                        }
                        for path in paths { statuses.append(try await browser.get(path).status) }
                        let expected: HTTPStatus = readers[unit]!.contains(username) ? .ok : .notFound
                        #expect(statuses.allSatisfy { $0 == expected }, "\(username) \(unit): \(statuses)")
                    }
                }
            }
        }

        /// Whether the server let the caller through (any answer but 401/403 or a redirect to sign in).
        func call(_ app: Application, _ line: Line, as username: String, token: String?) async throws -> Bool {
            if line.isAPI {
                var status: HTTPStatus = .internalServerError
                try await app.testing().test(
                    line.method, line.example,
                    beforeRequest: { req in
                        if let token { req.headers.bearerAuthorization = .init(token: token) }
                        if line.method == .POST { try req.content.encode([String: String](), as: .json) }
                    }
                ) { status = $0.status }
                #expect(status != .internalServerError, "\(line.path) answered 500")
                return status != .unauthorized && status != .forbidden
            }
            let browser = Browser(app)
            if token != nil { try await browser.signIn(username, DemoBureau.password) }
            // A person posts from a page they loaded, so the form carries the session's CSRF token.
            if browser.csrf == nil { try await browser.get("/login") }
            let response =
                line.method == .GET
                ? try await browser.get(line.example)
                : try await browser.post(line.example, form: [:])
            #expect(response.status != .internalServerError, "\(line.path) answered 500")
            let location = response.headers.first(name: .location) ?? ""
            let sentToSignIn = response.status == .seeOther && location.hasPrefix("/login") && line.path != "/logout"
            return response.status != .forbidden && !sentToSignIn
        }
    }
}
