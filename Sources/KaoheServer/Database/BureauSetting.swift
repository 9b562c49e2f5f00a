import Fluent
import Foundation

/// One of the bureau's own settings, changed in Kaohe by the role it belongs to (the ledger's start date, …), as
/// opposed to the deployment's environment (`Settings`). One row per key; its room reads and writes it typed
/// (`LedgerStart`), audited.
final class BureauSetting: Model, @unchecked Sendable {
    static let schema = "bureau_settings"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Field(key: "updated_by") var updatedBy: String

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $value, $updatedAt, $updatedBy] }

    init() {}

    init(key: String, value: String, updatedBy: String) {
        self.id = key
        self.value = value
        self.updatedBy = updatedBy
    }
}
