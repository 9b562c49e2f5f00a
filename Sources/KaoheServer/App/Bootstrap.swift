import Fluent
import Vapor

/// Makes sure somebody can sign in after the first start, and never creates demo users unless asked.
enum Bootstrap {
    static func run(_ app: Application) async throws {
        // Rubrics first: the demo bureau opens its quarter on them.
        try await RubricStore.installShipped(from: app.kaoheSettings.rubricsDirectory, logger: app.logger, on: app.db)
        try await users(app)
    }

    private static func users(_ app: Application) async throws {
        let settings = app.kaoheSettings
        let hasUsers = try await User.query(on: app.db).count() > 0
        if settings.demo {
            if hasUsers {
                app.logger.notice("演示数据已存在，直接使用：\(settings.dataDirectory)")
            } else {
                try await DemoBureau.seed(on: app)
                app.logger.notice("已创建演示局（所有演示用户密码：\(DemoBureau.password)）：\(settings.dataDirectory)")
            }
            return
        }
        guard !hasUsers else { return }
        guard let password = settings.adminPassword else {
            throw SettingsError(
                """
                首次启动需要设置管理员密码 / The first start needs the admin's password:
                  KAOHE_ADMIN_PASSWORD='至少12个字符的口令' kaohe serve
                或 / or:  kaohe user create admin --role admin --unit general   （从标准输入读取密码 / reads the password from stdin）
                想先看看演示？/ Just looking?  kaohe serve --demo
                """)
        }
        do {
            try await Accounts.create(
                username: "admin", displayName: "系统管理员", password: password,
                roles: [(Role.admin.rawValue, OrgTree.rootCode)], actor: "system", on: app)
        } catch let problem as Accounts.Problem {
            throw SettingsError("KAOHE_ADMIN_PASSWORD: \(problem.description)")
        }
        app.logger.notice("已创建管理员 admin (created the admin user)")
    }
}
