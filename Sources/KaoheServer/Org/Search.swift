import Fluent
import KaoheCore
import Vapor

/// One search box for everyone signed in: members and units by name or code, within what the caller may read (as
/// their ledgers are read: a role on the unit or above it; a member's role reaches only their own record), and users
/// by name for the admin, who keeps them.
enum Search {
    /// One thing found, as `GET /api/v1/search` answers it.
    struct Hit: Content, Equatable {
        /// branch, group, member (a unit's kind) or user.
        let kind: String
        let code: String
        let name: String
        let link: String
        /// 已撤销 / 已转出 … for what is no longer in the organisation.
        let note: String?
    }

    /// The most a search returns of each kind: enough to find one person, never a dump of the bureau.
    static let limit = 30

    /// The search text: 1–100 characters after trimming.
    static func text(_ raw: String?) throws -> String {
        let text = InputText.halfWidth(raw ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, text.count <= TextLimits.maximum(for: "q") else {
            throw ValidationProblem(
                field: "q", rule: "请输入要查找的姓名、名称或代码，不超过 \(TextLimits.maximum(for: "q")) 字 (1–100 characters)")
        }
        return text
    }

    static func find(_ text: String, for user: User, on db: any Database) async throws -> [Hit] {
        let grants = try await Access.roles(of: user, on: db)
        guard !grants.isEmpty else { return [] }
        let lowered = text.lowercased()
        // Read more than shown: those the caller may not read are dropped after.
        let candidates = try await Unit.query(on: db).filter(\.$kind != .general).group(.or) {
            $0.filter(\.$name ~~ text).filter(\.$code ~~ lowered)
        }.sort(\.$kind).sort(\.$sortOrder).sort(\.$code).limit(limit * 10).all()
        let chains = try await Access.chains(of: candidates.map(\.code), on: db)
        var hits = candidates.filter {
            Policy.mayReadLedger(of: $0, grants: grants, chain: chains[$0.code] ?? [])
        }.prefix(limit).map { unit in
            Hit(
                kind: unit.kind.rawValue, code: unit.code, name: unit.name,
                link: SiteURL.unitRecord(.init(unit.code)).path,
                note: unit.leftOn.map { unit.kind == .member ? "已于 \($0) 离开" : "已于 \($0) 撤销" })
        }
        if grants.contains(where: { $0.role == .admin }) {
            let users = try await User.query(on: db).group(.or) {
                $0.filter(\.$displayName ~~ text).filter(\.$username ~~ lowered)
            }.sort(\.$username).limit(limit).all()
            hits += users.map {
                Hit(kind: "user", code: $0.username, name: $0.displayName, link: SiteURL.users.path, note: nil)
            }
        }
        return hits
    }
}

/// `GET /api/v1/search?q=` and the page `/search?q=` every signed-in user reaches from the top bar.
struct SearchAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("search", use: find)
    }

    func find(req: Request) async throws -> [Search.Hit] {
        try await Search.find(try Search.text(req.written("q")), for: try req.auth.require(User.self), on: req.db)
    }
}

struct SearchController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.search, use: page)
    }

    struct Page: Encodable {
        struct Line: Encodable {
            let label: String
            let code: String
            let name: String
            let link: String
            let note: String?
        }
        let chrome: PageChrome
        let q: String
        let hits: [Line]
        let problem: String?
    }

    func page(req: Request) async throws -> View {
        let raw = req.written("q") ?? ""
        var hits: [Search.Hit] = []
        var problem: String?
        if !raw.isEmpty {
            do {
                hits = try await Search.find(
                    try Search.text(raw), for: try req.auth.require(User.self), on: req.db)
            } catch let refused as ValidationProblem {
                problem = refused.rule
            }
        }
        return try await req.view.render(
            "search",
            Page(
                chrome: try await PageChrome.make("查找", req), q: String(raw.prefix(TextLimits.maximum(for: "q"))),
                hits: hits.map {
                    Page.Line(
                        label: Unit.Kind(rawValue: $0.kind)?.label ?? "用户", code: $0.code, name: $0.name, link: $0.link,
                        note: $0.note)
                }, problem: problem))
    }
}
