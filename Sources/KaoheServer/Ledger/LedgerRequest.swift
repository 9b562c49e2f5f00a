import Fluent
import KaoheCore
import Vapor

/// What a ledger route reads of its request — the unit in its path, the year asked for, whose permit to record or keep
/// dues — asked the same way by the API and the pages.
enum LedgerRequest {
    /// A quarter `2026Q3` that has begun.
    static func quarter(_ raw: String?) throws -> Quarter {
        guard let quarter = raw.flatMap({ Quarter(code: $0.trimmingCharacters(in: .whitespaces)) }) else {
            throw ValidationProblem(field: "quarter", rule: "季度应写作 2026Q3 (a quarter such as 2026Q3)")
        }
        guard quarter.firstDay <= BureauCalendar.today() else {
            throw ValidationProblem(field: "quarter", rule: "\(quarter.label)尚未开始 (a quarter that has not begun)")
        }
        return quarter
    }

    /// Policy's permit for the signed-in user to record the route's unit's ledger; 403 otherwise.
    static func recorder(_ req: Request) async throws -> Permit<Rights.RecordLedger> {
        try await Policy.ledgerRecorder(try req.auth.require(User.self), of: try await unit(req), on: req.db)
    }

    /// An upload's admission (`UploadRoute.Admission`): only the unit's recorder sends a file.
    static let mayRecord: UploadRoute.Admission = { _ = try await recorder($0) }

    /// The route's unit, when the signed-in user may read its ledger (`Policy.mayReadLedger`); 403 otherwise.
    static func readable(_ req: Request) async throws -> Unit {
        let unit = try await unit(req)
        let grants = try await Access.roles(of: try req.auth.require(User.self), on: req.db)
        guard
            Policy.mayReadLedger(
                of: unit, grants: grants, chain: try await Access.unitAndAncestors(unit.code, on: req.db))
        else {
            throw Abort(.forbidden, reason: "党员本人的活动记录由本人和上级组织查看 (a member's record is theirs and their units')")
        }
        return unit
    }

    static func unit(_ req: Request) async throws -> Unit {
        let code = req.parameters.get("unit") ?? ""
        guard let unit = try await Unit.query(on: req.db).filter(\.$code == code).first() else {
            throw Abort(.notFound, reason: "组织 \(code) 不存在")
        }
        return unit
    }

    /// `?year=2026`, this year when left out.
    static func year(_ req: Request) throws -> Int {
        try year(req.written("year"))
    }

    /// A year as written (the query's or a path's), this year when nothing is.
    static func year(_ raw: String?) throws -> Int {
        guard let raw, !raw.isEmpty else { return BureauCalendar.today().year }
        guard let year = Int(raw), (2000...2999).contains(year) else {
            throw ValidationProblem(field: "year", rule: "年份应为 2000–2999 (a four-digit year)")
        }
        return year
    }

    /// Policy's permit for the signed-in user to keep the route's branch's dues; 403 otherwise.
    static func keeper(_ req: Request) async throws -> Permit<Rights.KeepDues> {
        try await Policy.duesKeeper(try req.auth.require(User.self), of: try await unit(req), on: req.db)
    }
}
