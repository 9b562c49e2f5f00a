import Vapor

/// 登录: the sign-in form, with the problem beside the field it concerns.
struct SignInPage: Encodable {
    let chrome: PageChrome
    let username: String
    let next: String
    let error: String?
}
