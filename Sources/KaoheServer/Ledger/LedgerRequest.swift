import Fluent
import KaoheCore
import Vapor

/// What a ledger route reads of its request — the unit in its path, the year asked for, who may record or keep
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

    /// The signed-in user and the route's unit, when the user may record its activities; 403 otherwise.
    static func recorder(_ req: Request) async throws -> (User, Unit) {
        let user = try req.auth.require(User.self)
        let unit = try await unit(req)
        guard Ledger.mayRecord(try await Access.roles(of: user, on: req.db), unit: unit) else {
            throw Abort(.forbidden, reason: "只有本支部书记（党小组由小组长）登记活动 (only the unit's secretary or group leader records)")
        }
        return (user, unit)
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
        guard let raw = req.query[String.self, at: "year"], !raw.isEmpty else { return BureauCalendar.today().year }
        guard let year = Int(raw), (2000...2999).contains(year) else {
            throw ValidationProblem(field: "year", rule: "年份应为 2000–2999 (a four-digit year)")
        }
        return year
    }

    /// The signed-in user and the route's branch, when the user keeps its dues; 403 otherwise.
    static func keeper(_ req: Request) async throws -> (User, Unit) {
        let user = try req.auth.require(User.self)
        let unit = try await unit(req)
        guard DuesLedger.mayKeep(try await Access.roles(of: user, on: req.db), unit: unit) else {
            throw Abort(.forbidden, reason: "只有本支部书记登记党费 (only the branch's secretary records its dues)")
        }
        return (user, unit)
    }
}
