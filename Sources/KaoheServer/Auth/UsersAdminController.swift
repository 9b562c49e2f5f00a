import Fluent
import KaoheCore
import Vapor

/// 用户与角色 for the admin.
struct UsersAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.grouped("admin", "users")
        routes.get(.users, use: list)
        users.post(use: create)
        users.post(":username", "roles", use: grant)
        users.post(":username", "roles", ":grant", "revoke", use: revoke)
    }

    func list(req: Request) async throws -> View {
        try await req.view.render("users", UsersAdminPage.query(on: req))
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.auth.require(User.self)
        let form = try req.content.decode(UsersAdminPage.CreateForm.self)
        do {
            // Accounts.create checks each role against its unit's kind, as `kaohe user create` does.
            let roles = (form.role?.isEmpty == false) ? [(form.role!, form.unit ?? "")] : []
            try await Accounts.create(
                username: form.username ?? "",
                displayName: form.displayName?.isEmpty == false ? form.displayName! : (form.username ?? ""),
                password: form.password ?? "", roles: roles, actor: actor.username, on: req.application)
            return req.redirect(to: .users)
        } catch let problem as Accounts.Problem {
            return try await page(req, form: form, error: problem.description)
        } catch let problem as RoleGrants.Problem {
            return try await page(req, form: form, error: problem.description)
        }
    }

    struct GrantForm: Content {
        var role: String?
        var unit: String?
        /// 任职日期; empty: from today, undated.
        var from: String?
    }

    struct RevokeForm: Content {
        /// 离任日期, the last day in office; empty: a grant made by mistake, revoked as if never made.
        var date: String?
    }

    func grant(req: Request) async throws -> Response {
        let actor = try req.auth.require(User.self)
        let user = try await target(req)
        let form = try req.content.decode(GrantForm.self)
        do {
            guard let role = form.role.flatMap(Role.init(rawValue:)) else {
                throw RoleGrants.Problem(description: "请选择角色")
            }
            let from = try form.from.flatMap { $0.isEmpty ? nil : $0 }.map {
                try CalendarDay.past($0, field: "from", today: BureauCalendar.today().adding(days: 366))
            }
            try await RoleGrants.grant(
                role, on: form.unit ?? "", to: user, from: from, actor: actor.username, db: req.db)
            return req.redirect(to: .users)
        } catch let problem as RoleGrants.Problem {
            return try await page(req, error: "\(user.username)：\(problem.description)")
        } catch let problem as ValidationProblem {
            return try await page(req, error: "\(user.username)：任职日期\(problem.rule)")
        }
    }

    func revoke(req: Request) async throws -> Response {
        let actor = try req.auth.require(User.self)
        let user = try await target(req)
        guard let grantID = req.parameters.get("grant").flatMap(UUID.init(uuidString:)) else {
            throw Abort(.notFound, reason: "该角色不存在")
        }
        let date = try req.content.decode(RevokeForm.self).date ?? ""
        do {
            if date.isEmpty {
                try await RoleGrants.revoke(grantID, from: user, actor: actor.username, db: req.db)
            } else {
                let last = try CalendarDay.past(date, field: "date", today: BureauCalendar.today().adding(days: 366))
                try await RoleGrants.end(grantID, of: user, on: last, actor: actor.username, db: req.db)
            }
            return req.redirect(to: .users)
        } catch let problem as ValidationProblem {
            return try await page(req, error: "\(user.username)：离任日期\(problem.rule)")
        } catch let problem as RoleGrants.Problem {
            return try await page(req, error: problem.description)
        } catch let abort as AbortError where abort.status == .notFound {
            // Revoked meanwhile (a double click, another admin): the list as it now stands.
            return try await page(req, error: "\(user.username) 的该角色已被撤销")
        }
    }

    private func target(_ req: Request) async throws -> User {
        let username = req.parameters.get("username") ?? ""
        guard let user = try await User.query(on: req.db).filter(\.$username == username).first() else {
            throw Abort(.notFound, reason: "用户 \(username) 不存在")
        }
        return user
    }

    private func page(_ req: Request, form: UsersAdminPage.CreateForm = .init(), error: String) async throws -> Response
    {
        let response = try await req.view.render("users", UsersAdminPage.query(on: req, form: form, error: error))
            .encodeResponse(for: req)
        response.status = .unprocessableEntity
        return response
    }
}
