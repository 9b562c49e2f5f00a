import Fluent
import Vapor

/// 修改密码: the current password proves it is the owner; the new one is checked, Bcrypt-hashed off the
/// event loop and audited (without any hash); API tokens issued under the old password stop working.
struct PasswordController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.password, use: form)
        routes.post("account", "password", use: change)
    }

    struct ChangeForm: Content {
        var current: String?
        var new: String?
        var confirm: String?
    }

    struct Page: Encodable {
        let chrome: PageChrome
        let errors: [String: String]
        let saved: Bool
    }

    func form(req: Request) async throws -> View {
        try await req.view.render(
            "password", Page(chrome: try await PageChrome.make("修改密码", req), errors: [:], saved: false))
    }

    func change(req: Request) async throws -> Response {
        let user = try req.auth.require(User.self)
        let form = try req.content.decode(ChangeForm.self)
        var errors: [String: String] = [:]
        let current = form.current ?? "", new = form.new ?? "", confirm = form.confirm ?? ""
        if try await !req.password.async.verify(current, created: user.passwordHash) {
            errors["current"] = "当前密码不正确"
        }
        if let problem = PasswordPolicy.problem(new, username: user.username) {
            errors["new"] = PageFormat.message(problem)
        } else if new == current {
            errors["new"] = "新密码不能与当前密码相同"
        }
        if confirm != new {
            errors["confirm"] = "两次输入的新密码不一致"
        }
        if errors.isEmpty {
            user.passwordHash = try await req.password.async.hash(new)
            user.credentialsChangedAt = Date()
            try await req.db.writeTransaction { db in
                try await user.save(on: db)
                try await UserToken.query(on: db).filter(\.$user.$id == user.requireID()).delete()
                try await AuditLog.append(
                    on: db, actor: user.username, action: .userPassword, subject: .user(user.username))
            }
            // Every other session and token has ended; this one goes on under a fresh id.
            try await UserSession.begin(user, on: req)
        }
        let page = Page(chrome: try await PageChrome.make("修改密码", req), errors: errors, saved: errors.isEmpty)
        let response = try await req.view.render("password", page).encodeResponse(for: req)
        response.status = errors.isEmpty ? .ok : .unprocessableEntity
        return response
    }
}
