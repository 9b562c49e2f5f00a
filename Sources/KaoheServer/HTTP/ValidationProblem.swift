import Vapor

/// Bad input that names the field and the rule it breaks: 422 in the API, a message beside the field in a page.
struct ValidationProblem: AbortError {
    let field: String
    let rule: String

    var status: HTTPResponseStatus { .unprocessableEntity }
    var reason: String { "\(field): \(rule)" }
}
