import KaoheCore
import Vapor

/// The one place errors become responses: `{"error":true,"reason"}` for the API, a Chinese page for people.
/// Bad input is 400/422 with its reason; only a real fault is 500, and its details stay in the log.
struct KaoheErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return await Self.response(for: error, to: request)
        }
    }

    static func response(for error: any Error, to request: Request) async -> Response {
        let (status, reason, headers) = classify(error)
        if status == .internalServerError {
            request.logger.report(error: error)
        }
        if request.wantsJSON {
            let body = ErrorBody(reason: reason, open: (error as? SheetReview.QuestionsOpen)?.open)
            let response = Response(status: status, headers: headers)
            try? response.content.encode(body, as: .json)
            return response
        }
        if status == .unauthorized {
            return request.redirect(to: .login)
        }
        // A form refused before it could be read (too large, too slow) returns to the page it came from, which
        // says why at its top (`PageChrome.refusal`); the person's other input on that page is still in the page.
        if request.method == .POST, let refusal = Refusal(status: status), let back = sameSiteReferer(request) {
            return request.redirect(to: refusal.appended(to: back))
        }
        let page = ErrorPage(
            status: Int(status.code), title: title(for: status), reason: pageReason(reason, status: status),
            back: sameSiteReferer(request))
        // An address no route knows has not come through the sessions, which live on the pages' routes: read the
        // session here, so that a signed-in person's 404 keeps the navigation too.
        if status == .notFound, !request.hasSession,
            request.cookies[request.application.sessions.configuration.cookieName] != nil
        {
            let settings = request.application.kaoheSettings
            let chain: [any Middleware] = [
                request.application.sessions.middleware, UserSession.Authenticator(lifetime: settings.sessionLifetime),
            ]
            let render = AsyncBasicResponder { request in await Self.render(page, status: status, to: request) }
            if let response = try? await chain.makeResponder(chainingTo: render).respond(to: request).get() {
                return response
            }
        }
        return await render(page, status: status, to: request)
    }

    private static func render(_ page: ErrorPage, status: HTTPResponseStatus, to request: Request) async -> Response {
        var page = page
        // Only a signed-in person's request has come through the sessions (which the navigation and the sign-out
        // form need); anyone else gets the layout without them.
        if request.auth.has(User.self) { page.chrome = try? await PageChrome.make(page.title, request) }
        do {
            let response = try await request.view.render("error", page).encodeResponse(for: request)
            response.status = status
            return response
        } catch {
            let response = Response(status: status, headers: ["Content-Type": "text/html; charset=utf-8"])
            response.body = .init(
                string: "<!doctype html><meta charset=utf-8><title>\(page.title)</title><h1>\(page.title)</h1>")
            return response
        }
    }

    private static func classify(_ error: any Error) -> (HTTPResponseStatus, String, HTTPHeaders) {
        switch error {
        case let decoding as DecodingError:
            return (.badRequest, describe(decoding), [:])
        case let abort as any AbortError:
            return (abort.status, abort.reason, abort.headers)
        case let workflow as WorkflowProblem:
            // A move the sheet's state does not allow: the request conflicts with the sheet as it is now.
            return (.conflict, workflow.message, [:])
        default:
            return (.internalServerError, "服务器内部错误，请稍后再试或联系管理员", [:])
        }
    }

    /// Names the field that could not be read, in words a person can act on.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let joined = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(
                separator: ".")
            return joined.isEmpty ? "请求体" : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "\(parent == "请求体" ? "" : parent + ".")\(key.stringValue): 缺少此字段 (required)"
        case .typeMismatch(let type, let context):
            return "\(path(context)): 类型不符，应为 \(type) (type mismatch)"
        case .valueNotFound(let type, let context):
            return "\(path(context)): 不能为空，应为 \(type) (null)"
        case .dataCorrupted(let context):
            return "\(path(context)): 无法解析 (\(context.debugDescription))"
        @unknown default:
            return "请求体无法解析"
        }
    }

    /// Vapor's own refusals carry the status's English phrase ("Not Found", "Payload Too Large"); people read why
    /// in Chinese, and what to do.
    static func pageReason(_ reason: String, status: HTTPResponseStatus) -> String {
        guard reason == status.reasonPhrase || reason.allSatisfy(\.isASCII) else { return PageFormat.message(reason) }
        return switch status.code {
        case 400: "请求内容无法识别，请返回上一页重新填写。"
        case 404: "没有这个页面，或您无权查看。请检查地址，或从工作台进入。"
        case 405: "此页面不接受这种操作，请从页面上的按钮进入。"
        case 408: "提交用时过长，连接已断开。请检查网络后重新提交。"
        case 409: "数据已被他人修改，或当前状态不允许此操作。请返回并刷新页面后再试。"
        case 413: "提交的内容或文件超过上限。请压缩文件或分次上传后再试。"
        case 415: "此处不接受这种提交方式（例如文件上传），请从页面上的表单提交。"
        case 429: "尝试过于频繁，请稍后再试。"
        default: status.code >= 500 ? "服务器内部错误，请稍后再试或联系管理员。" : "请求未能完成，请返回上一页重试。"
        }
    }

    /// The page the person came from, when it is this site's: the error page's way back.
    static func sameSiteReferer(_ request: Request) -> String? {
        guard let referer = request.headers.first(name: .referer), let url = URL(string: referer),
            let host = request.headers.first(name: .host),
            (url.host ?? "") + (url.port.map { ":\($0)" } ?? "") == host
        else { return nil }
        let path = url.path.isEmpty ? "/" : url.path
        return path + (url.query.map { "?\($0)" } ?? "")
    }

    private static func title(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "请求有误"
        case 401: "请先登录"
        case 403: "没有权限"
        case 404: "页面不存在"
        case 405: "不支持的操作"
        case 408: "提交超时"
        case 409: "数据已被他人修改或状态不允许"
        case 413: "内容过大"
        case 415: "不支持的提交方式"
        case 422: "输入有误"
        case 429: "尝试过于频繁"
        default: status.code >= 500 ? "服务器内部错误" : "请求未能完成"
        }
    }
}

/// Why a form was refused before it was read, carried back to the page it came from as `?refused=`.
enum Refusal: String {
    case tooLarge = "too-large"
    case tooSlow = "too-slow"

    init?(status: HTTPResponseStatus) {
        switch status.code {
        case 413: self = .tooLarge
        case 408: self = .tooSlow
        default: return nil
        }
    }

    var message: String {
        switch self {
        case .tooLarge: "未保存：提交的内容或文件超过上限。请压缩文件或分次上传后再试。"
        case .tooSlow: "未保存：提交用时过长，连接已断开。请检查网络后重新提交。"
        }
    }

    /// `path` with `refused=` in its query (any earlier one replaced), keeping its fragment out.
    func appended(to path: String) -> String {
        var components = URLComponents(string: path) ?? URLComponents()
        var items = (components.queryItems ?? []).filter { $0.name != "refused" }
        items.append(URLQueryItem(name: "refused", value: rawValue))
        components.queryItems = items
        components.fragment = nil
        return components.string ?? path
    }
}

struct ErrorBody: Content {
    var error = true
    let reason: String
    /// What a 考核完毕 refused leaves open (`SheetReview.QuestionsOpen`).
    var open: [SheetReview.OpenQuestion]? = nil
}

struct ErrorPage: Encodable {
    let status: Int
    let title: String
    let reason: String
    /// This site's page the person came from, for 返回上一页.
    let back: String?
    /// The site's layout (navigation, who is signed in); a bare chrome when even that cannot be read.
    var chrome: PageChrome?
}
