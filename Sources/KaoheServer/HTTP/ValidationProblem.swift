import KaoheCore
import Vapor

/// Bad input that names the field and the rule it breaks: 422 in the API, a message beside the field in a page.
struct ValidationProblem: AbortError {
    let field: String
    let rule: String

    var status: HTTPResponseStatus { .unprocessableEntity }
    var reason: String { "\(field): \(rule)" }
}

extension CalendarDay {
    /// A day a person typed that has already come (`2026-08-10`, full-width digits too): a payment, a hand-over, a
    /// change of membership. 422 naming `field` for anything else.
    static func past(_ text: String, field: String, today: CalendarDay) throws -> CalendarDay {
        guard let day = CalendarDay(InputText.halfWidth(text).trimmingCharacters(in: .whitespaces)) else {
            throw ValidationProblem(field: field, rule: "日期应写作 2026-08-10 (a date YYYY-MM-DD)")
        }
        guard day <= today, day.year >= 2000 else {
            throw ValidationProblem(
                field: field, rule: "应在 2000-01-01 至 \(today) 之间 (not in the future, not before 2000)")
        }
        return day
    }
}
