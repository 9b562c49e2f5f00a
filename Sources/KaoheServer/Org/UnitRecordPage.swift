import Fluent
import KaoheCore
import Vapor

/// 档案: a unit's whole history on one page — its names, a member's 组织关系, the offices held on it (a member's own,
/// wherever), its sheets quarter by quarter, a member's attendance and dues, and its vetoes. Read by whoever reads its
/// ledger (`LedgerRequest.readable`), reached from the search box.
struct UnitRecordPage: Encodable {
    struct Office: Encodable {
        let role: String
        let unit: String
        let person: String
        let from: String
        let to: String
    }
    struct SheetLine: Encodable {
        let period: String
        let quarter: String
        let state: String
        let total: String?
        let grade: String?
        let link: String?
    }
    struct Veto: Encodable {
        let year: Int
        let date: String
        let veto: String
        let reason: String
        let withdrawn: Bool
    }

    let chrome: PageChrome
    let code: String
    let name: String
    let kind: String
    let place: String?
    let position: String?
    let joinedOn: String?
    let left: String?
    let names: [UnitHistoryAPIController.History.Name]
    let memberships: [MembershipSection.Line]
    let offices: [Office]
    let sheets: [SheetLine]
    /// A member's activities and dues of `year`, as their own ledger page shows them.
    let year: Int
    let attendance: [MemberRecord.Line]
    let dues: [MemberRecord.DuesLine]
    let vetoes: [Veto]
    let ledger: String?

    static func make(_ unit: Unit, year: Int, for user: User, _ req: Request) async throws -> UnitRecordPage {
        let db = req.db
        let own = unit.kind == .member ? try await MemberRecord.read(unit, year: year, on: db) : nil
        let stretches = unit.kind == .member ? try await Memberships.stretches(of: unit, on: db) : []
        let groups = Set(stretches.map(\.groupCode))
        let units = try await Unit.names(of: groups.union([unit.parentCode].compactMap { $0 }), on: db)
        let sheets = try await sheetLines(of: unit, for: user, on: db)
        return UnitRecordPage(
            chrome: try await PageChrome.make("档案：\(unit.name)", req),
            code: unit.code, name: unit.name, kind: unit.kind.label,
            place: unit.parentCode.map { units[$0] ?? $0 }, position: unit.position, joinedOn: unit.joinedOn,
            left: unit.leftOn, names: try await UnitChanges.names(of: unit, on: db),
            memberships: stretches.map { stretch in
                MembershipSection.Line(
                    group: units[stretch.groupCode] ?? stretch.groupCode, from: stretch.from ?? "（启用前）",
                    to: stretch.to ?? "至今", began: stretch.beganBy.label, ended: stretch.endedBy?.label,
                    note: stretch.endedNote ?? stretch.beganNote)
            },
            offices: try await offices(of: unit, on: db), sheets: sheets,
            year: year, attendance: own?.lines.reversed() ?? [], dues: own?.duesLines ?? [],
            vetoes: try await VetoRecord.query(on: db).filter(\.$unitCode == unit.code).sort(\.$date).all().map {
                Veto(
                    year: $0.year, date: $0.date, veto: $0.veto, reason: $0.reason, withdrawn: $0.withdrawnAt != nil)
            },
            ledger: unit.kind == .member ? nil : SiteURL.ledger(.init(unit.code)).path)
    }

    /// The offices held on the unit; for a member, every office of the users who hold the member's own role.
    private static func offices(of unit: Unit, on db: any Database) async throws -> [Office] {
        var grants = try await RoleGrant.query(on: db).filter(\.$unitCode == unit.code).with(\.$user).all()
        if unit.kind == .member {
            let people = grants.filter { $0.role == .member }.map(\.$user.id)
            grants = try await RoleGrant.query(on: db).filter(\.$user.$id ~~ people).with(\.$user).all()
        }
        let names = try await Unit.names(of: grants.map(\.unitCode), on: db)
        return grants.filter { $0.role != .member }
            .sorted { ($0.from ?? "", $0.role.rawValue) < ($1.from ?? "", $1.role.rawValue) }
            .map {
                Office(
                    role: $0.role.label, unit: names[$0.unitCode] ?? $0.unitCode, person: $0.user.displayName,
                    from: $0.from ?? "（启用前）", to: $0.to ?? "至今")
            }
    }

    /// Its sheets, newest quarter first; a link where the viewer may open the sheet.
    private static func sheetLines(of unit: Unit, for user: User, on db: any Database) async throws -> [SheetLine] {
        let sheets = try await Sheet.query(on: db).filter(\.$unitCode == unit.code).with(\.$period).all()
            .sorted { $0.period.code > $1.period.code }
        let grants = try await Access.roles(of: user, on: db)
        var lines: [SheetLine] = []
        for sheet in sheets {
            let report = sheet.publishedScore == nil ? nil : try await Sheets.publishedReport(of: sheet, on: db)
            let period = sheet.period.code
            lines.append(
                SheetLine(
                    period: period, quarter: Quarter(code: period)?.label ?? period, state: sheet.state.label,
                    total: report.map { PageFormat.points($0.total) }, grade: report?.gradeLabel,
                    link: Policy.canSee(sheet, try await Policy.viewer(user, grants: grants, of: sheet, on: db))
                        ? SiteURL.sheet(.init(period), unit: .init(unit.code)).path : nil
                ))
        }
        return lines
    }
}

/// `GET /units/{unit}/record`: the page above.
struct UnitRecordController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.unitRecord(.key), use: page)
    }

    func page(req: Request) async throws -> View {
        let unit = try await LedgerRequest.readable(req)
        return try await req.view.render(
            "unit-record",
            try await UnitRecordPage.make(
                unit, year: try LedgerRequest.year(req), for: try req.auth.require(User.self), req))
    }
}
