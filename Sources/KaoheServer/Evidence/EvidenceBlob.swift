import Fluent
import Vapor

/// The bytes of evidence on PostgreSQL, so that several Kaohe servers share them (DESIGN.md storage).
final class EvidenceBlob: Model, @unchecked Sendable {
    static let schema = "evidence_blobs"

    @ID(custom: "sha256", generatedBy: .user) var id: String?
    @Field(key: "content") var content: Data

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $content] }

    init() {}
    init(sha256: String, content: Data) {
        self.id = sha256
        self.content = content
    }
}
