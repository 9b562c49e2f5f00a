import Fluent
import Vapor

/// 审计日志: every change, newest first, filterable, with the chain's state on top.
struct AuditPage: Encodable {
    struct Filters: Content {
        var actor: String?
        var action: String?
        var subject: String?
        var page: Int?
    }

    struct Row: Encodable {
        let seq: Int
        let at: String
        let actor: String
        let action: String
        let subject: String
        let before: String?
        let after: String?
    }

    struct Chain: Encodable {
        let intact: Bool
        let count: Int
        let problem: String?
    }

    let chrome: PageChrome
    let filters: Filters
    let rows: [Row]
    let chain: Chain
    let page: Int
    let previousPage: Int?
    let nextPage: Int?

    static let pageSize = 50

    static func query(_ filters: Filters, on request: Request) async throws -> AuditPage {
        let page = max(1, filters.page ?? 1)
        var query = AuditEvent.query(on: request.db)
        if let actor = filters.actor?.trimmingCharacters(in: .whitespaces), !actor.isEmpty {
            query = query.filter(\.$actor == actor)
        }
        if let action = filters.action?.trimmingCharacters(in: .whitespaces), !action.isEmpty {
            query = query.filter(\.$action == action)
        }
        if let subject = filters.subject?.trimmingCharacters(in: .whitespaces), !subject.isEmpty {
            query = query.filter(\.$subject ~~ subject)
        }
        let events = try await query.sort(\.$seq, .descending)
            .range(((page - 1) * pageSize)..<(page * pageSize + 1))
            .all()
        let verification = try await AuditLog.verify(on: request.db)
        return AuditPage(
            chrome: try await PageChrome.make("审计日志", request),
            filters: filters,
            rows: events.prefix(pageSize).map {
                Row(seq: $0.seq, at: $0.at, actor: $0.actor, action: $0.action, subject: $0.subject, before: $0.before, after: $0.after)
            },
            chain: Chain(intact: verification.firstBreak == nil, count: verification.count, problem: verification.firstBreak?.description),
            page: page,
            previousPage: page > 1 ? page - 1 : nil,
            nextPage: events.count > pageSize ? page + 1 : nil)
    }
}
