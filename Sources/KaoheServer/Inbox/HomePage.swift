import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 工作台: where every role lands after sign-in.
struct HomePage: Encodable {
    struct RoleLine: Encodable {
        let role: String
        let label: String
        let unit: String
    }

    let chrome: PageChrome
    let displayName: String
    let roles: [RoleLine]
    let pending: [Inbox.Line]

    static func query(for user: User, on request: Request) async throws -> HomePage {
        let grants = try await Access.roles(of: user, on: request.db).sorted { $0.unitCode < $1.unitCode }
        let names = try await Unit.names(of: grants.map(\.unitCode), on: request.db)
        return HomePage(
            chrome: try await PageChrome.make("工作台", request),
            displayName: user.displayName,
            roles: grants.map {
                RoleLine(role: $0.role.rawValue, label: $0.role.label, unit: names[$0.unitCode] ?? $0.unitCode)
            },
            pending: try await Inbox.lines(for: user, on: request.db)
        )
    }
}
