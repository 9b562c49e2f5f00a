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
            let body = ErrorBody(reason: reason)
            let response = Response(status: status, headers: headers)
            try? response.content.encode(body, as: .json)
            return response
        }
        if status == .unauthorized {
            return request.redirect(to: "/login")
        }
        let page = ErrorPage(status: Int(status.code), title: title(for: status), reason: PageFormat.message(reason))
        do {
            let response = try await request.view.render("error", page).encodeResponse(for: request)
            response.status = status
            return response
        } catch {
            let response = Response(status: status, headers: ["Content-Type": "text/html; charset=utf-8"])
            response.body = .init(string: "<!doctype html><meta charset=utf-8><title>\(page.title)</title><h1>\(page.title)</h1>")
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
            let joined = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
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

    private static func title(for status: HTTPResponseStatus) -> String {
        switch status.code {
        case 400: "请求有误"
        case 401: "请先登录"
        case 403: "没有权限"
        case 404: "页面不存在"
        case 409: "数据已被他人修改或状态不允许"
        case 413: "内容过大"
        case 422: "输入有误"
        case 429: "尝试过于频繁"
        default: status.code >= 500 ? "服务器内部错误" : "请求未能完成"
        }
    }
}

struct ErrorBody: Content {
    var error = true
    let reason: String
}

struct ErrorPage: Encodable {
    let status: Int
    let title: String
    let reason: String
}
