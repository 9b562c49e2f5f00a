import Fluent
import Foundation

extension KaoheServerApp {
    /// `kaohe ledger check`: counts every unit's ledger from its rows and compares the figures the writes kept; the
    /// differences, empty when they agree. `repair` keeps the fresh count in their place.
    public static func checkLedgers(
        settings: Settings, repair: Bool = false, progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }
    ) async throws -> [String] {
        var found: [String] = []
        try await withApplication(settings: settings) { app in
            guard try await isInitialised(app.db) else {
                found = ["数据库是空的，尚未初始化 (the database was never set up)"]
                return
            }
            try await app.autoMigrate()
            found = try await KeptLedgerYear.differences(on: app.db) { done, total in
                progress(WorkProgress(step: "重算 recounting", done: done, total: total))
            }
            if repair, !found.isEmpty {
                try await app.db.writeTransaction { db in
                    try await KeptLedgerYear.recountAll(on: db) { done, total in
                        progress(WorkProgress(step: "修复 repairing", done: done, total: total))
                    }
                }
            }
        }
        return found
    }
}
