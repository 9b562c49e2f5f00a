import Vapor

/// What every page's frame shows: its title, who is signed in, and the CSRF token for the sign-out form.
struct PageChrome: Encodable {
    struct SignedInUser: Encodable {
        let username: String
        let displayName: String
    }

    let title: String
    let user: SignedInUser?
    let csrf: String

    init(title: String, request: Request) {
        self.title = title
        self.user = request.auth.get(User.self).map { SignedInUser(username: $0.username, displayName: $0.displayName) }
        self.csrf = CSRF.token(for: request)
    }
}
