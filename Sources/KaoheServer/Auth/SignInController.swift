import Vapor

/// 登录 / 退出 for people in browsers: cookie sessions, CSRF-checked forms, throttled failures.
struct SignInController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.login, use: form)
        routes.post("login", use: signIn)
        routes.post("logout", use: signOut)
    }

    struct SignInForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }

    func form(req: Request) async throws -> Response {
        if req.auth.has(User.self) { return req.redirect(to: .home) }
        let next = Self.safeNext(req.query[String.self, at: "next"])
        return try await render(req, username: "", next: next, error: nil, status: .ok)
    }

    func signIn(req: Request) async throws -> Response {
        let form = try req.content.decode(SignInForm.self)
        let username = form.username ?? ""
        let next = Self.safeNext(form.next)
        guard !username.trimmingCharacters(in: .whitespaces).isEmpty, let password = form.password, !password.isEmpty
        else {
            return try await render(
                req, username: username, next: next, error: "请输入用户名和密码", status: .unprocessableEntity)
        }
        do {
            let user = try await SignIn(request: req, throttle: req.kaoheSettings.signInThrottle)
                .attempt(username: username, password: password)
            try await UserSession.begin(user, on: req)
            let response = req.redirect(to: next)
            response.cookies[KnownClient.cookieName] = KnownClient.cookie(
                for: user, secure: req.kaoheSettings.secureCookies)
            return response
        } catch SignIn.Failure.invalidCredentials {
            return try await render(req, username: username, next: next, error: "用户名或密码不正确", status: .unauthorized)
        } catch SignIn.Failure.throttled(let retryAfter) {
            let response = try await render(
                req, username: username, next: next,
                error: "登录失败次数过多，请 \(PageFormat.wait(seconds: retryAfter))后再试", status: .tooManyRequests)
            response.headers.replaceOrAdd(name: "Retry-After", value: String(retryAfter))
            return response
        }
    }

    func signOut(req: Request) async throws -> Response {
        UserSession.end(on: req)
        return req.redirect(to: .login)
    }

    private func render(_ req: Request, username: String, next: String, error: String?, status: HTTPResponseStatus)
        async throws -> Response
    {
        let page = SignInPage(
            chrome: try await PageChrome.make("登录", req), username: username, next: next, error: error)
        let response = try await req.view.render("login", page).encodeResponse(for: req)
        response.status = status
        return response
    }

    /// Only a local path may follow sign-in, never another site (an open redirect). A browser drops tabs and line
    /// breaks from an address before reading it (WHATWG URL), so `/\t/host/` is `//host/`: an address with any
    /// control character or space, or that names a scheme or host, is replaced by the home page.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }),
            let parsed = URLComponents(string: next), parsed.scheme == nil, parsed.host == nil
        else { return "/" }
        return next
    }
}
