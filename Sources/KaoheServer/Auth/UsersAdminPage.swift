import Fluent
import Vapor

/// 用户与角色: every account with its roles, forms to create an account and to grant or revoke a role.
struct UsersAdminPage: Encodable {
    struct Grant: Encodable {
        let id: String
        let label: String
        let unit: String
        /// The unit's name, which the page shows; its code stays in the form that revokes the role.
        let unitName: String
        /// 任职 from … to …, when dated; an ended office has no form, only its record.
        let dates: String?
        let ended: Bool
    }

    struct Account: Encodable {
        let username: String
        let displayName: String
        let grants: [Grant]
    }

    struct CreateForm: Content {
        var username: String?
        var displayName: String?
        var password: String?
        var role: String?
        var unit: String?
    }

    let chrome: PageChrome
    let accounts: [Account]
    let roles: [SelectOption]
    let form: CreateForm
    let error: String?

    static func query(on request: Request, form: CreateForm = CreateForm(), error: String? = nil) async throws
        -> UsersAdminPage
    {
        let users = try await User.query(on: request.db).with(\.$roles).sort(\.$username).all()
        let names = try await Unit.names(of: users.flatMap { $0.roles.map(\.unitCode) }, on: request.db)
        return UsersAdminPage(
            chrome: try await PageChrome.make("用户与角色", request),
            accounts: try users.map { user in
                Account(
                    username: user.username, displayName: user.displayName,
                    grants: try user.roles.sorted { ($0.unitCode, $0.role.rawValue) < ($1.unitCode, $1.role.rawValue) }
                        .map {
                            Grant(
                                id: try $0.requireID().uuidString, label: $0.role.label, unit: $0.unitCode,
                                unitName: names[$0.unitCode] ?? $0.unitCode,
                                dates: $0.from == nil && $0.to == nil ? nil : "\($0.from ?? "")—\($0.to ?? "")",
                                ended: $0.to != nil)
                        })
            },
            roles: Role.allCases.map { SelectOption(value: $0.rawValue, label: $0.label) },
            form: CreateForm(username: form.username, displayName: form.displayName, role: form.role, unit: form.unit),
            error: error)
    }
}
