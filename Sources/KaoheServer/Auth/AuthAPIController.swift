import Fluent
import Vapor

/// `POST /api/v1/auth/token` (open to anyone), `GET /api/v1/me` and `GET /api/v1/me/inbox` (signed in).
struct AuthAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("me", use: me)
        routes.get("me", "inbox", use: inbox)
        routes.delete("auth", "token", use: revokeToken)
    }

    struct TokenIssue: RouteCollection {
        func boot(routes: any RoutesBuilder) throws {
            routes.post("auth", "token", use: AuthAPIController().issueToken)
        }
    }

    struct TokenRequest: Content {
        let username: String
        let password: String
    }

    struct TokenResponse: Content {
        let token: String
        let expiresAt: Date
    }

    struct MeResponse: Content {
        struct RoleOnUnit: Content {
            let role: String
            let unit: String
        }
        let username: String
        let displayName: String
        let roles: [RoleOnUnit]
    }

    func issueToken(req: Request) async throws -> TokenResponse {
        let body = try req.content.decode(TokenRequest.self)
        if body.username.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationProblem(field: "username", rule: "不能为空 (must not be empty)")
        }
        if body.password.isEmpty {
            throw ValidationProblem(field: "password", rule: "不能为空 (must not be empty)")
        }
        let settings = req.kaoheSettings
        let user: User
        do {
            user = try await SignIn(request: req, throttle: settings.signInThrottle)
                .attempt(username: body.username, password: body.password)
        } catch SignIn.Failure.invalidCredentials {
            throw Abort(.unauthorized, reason: "用户名或密码不正确 (invalid credentials)")
        } catch SignIn.Failure.throttled(let retryAfter) {
            throw Abort(
                .tooManyRequests, headers: ["Retry-After": String(retryAfter)],
                reason: "登录失败次数过多，请 \(PageFormat.wait(seconds: retryAfter))后再试 (too many failed attempts)")
        }
        let issued = UserToken.issue(for: try user.requireID(), lifetime: settings.tokenLifetime)
        try await issued.model.create(on: req.db)
        return TokenResponse(token: issued.plaintext, expiresAt: issued.model.expiresAt)
    }

    /// `DELETE /api/v1/auth/token`: the token that signs this request works no more.
    func revokeToken(req: Request) async throws -> HTTPStatus {
        let user = try req.auth.require(User.self)
        guard let token = req.auth.get(SignedToken.self) else {
            throw Abort(.badRequest, reason: "只能注销以令牌登录的请求所用的令牌 (only a bearer token can be revoked)")
        }
        try await req.db.writeTransaction { db in
            try await UserToken.query(on: db).filter(\.$id == token.id).delete()
            try await AuditLog.append(
                on: db, actor: user.username, action: .userTokenRevoke, subject: .user(user.username))
        }
        return .noContent
    }

    func me(req: Request) async throws -> MeResponse {
        let user = try req.auth.require(User.self)
        let grants = try await Access.roles(of: user, on: req.db).sorted { $0.unitCode < $1.unitCode }
        return MeResponse(
            username: user.username,
            displayName: user.displayName,
            roles: grants.map { .init(role: $0.role.rawValue, unit: $0.unitCode) }
        )
    }

    /// What the caller must do next, soonest first: the 工作台's 待办 (`Inbox`); `?limit=&offset=` as every list.
    func inbox(req: Request) async throws -> [Inbox.Item] {
        let user = try req.auth.require(User.self), page = try ListPage(req)
        return page.apply(try await Inbox.lines(for: user, on: req.db)).map(Inbox.Item.init)
    }
}
