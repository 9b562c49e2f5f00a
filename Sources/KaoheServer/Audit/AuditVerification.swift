import Vapor

extension KaoheServerApp {
    /// `kaohe audit verify`: the number of events, and the first broken one if the chain is broken.
    public static func verifyAuditChain(settings: Settings) async throws -> (count: Int, firstBreak: String?) {
        var result: (Int, String?) = (0, nil)
        try await withApplication(settings: settings) { app in
            try await app.autoMigrate()
            let verification = try await AuditLog.verify(on: app.db)
            result = (verification.count, verification.firstBreak?.description)
        }
        return result
    }
}
