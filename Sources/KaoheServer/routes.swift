import Vapor

func routes(_ app: Application) throws {
    try app.register(collection: HealthController())
    try app.register(collection: OpenAPIController())

    // The JSON API authenticates by bearer token only; with no cookies there is nothing to forge.
    let api = app.grouped("api", "v1").grouped(BearerAuthenticator())
    try api.register(collection: AuthAPIController())
    try api.register(collection: UnitsAPIController())

    // Pages: cookie session, expiry, CSRF on every form.
    let web = app.grouped(
        app.sessions.middleware,
        UserSession.Authenticator(lifetime: app.kaoheSettings.sessionLifetime),
        CSRF.Middleware()
    )
    try web.register(collection: SignInController())
    let signedIn = web.grouped(RedirectToSignIn())
    try signedIn.register(collection: HomeController())
}
