import Fluent
import KaoheCore
import Vapor

/// One saved version of a rubric (实施细则). Versions are never changed once saved: an edit saves a new
/// version, so a period bound to an older one keeps scoring by exactly the rules it was opened with.
final class RubricVersion: Model, @unchecked Sendable {
    static let schema = "rubric_versions"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    /// The rubric's `id` (`bureau-branch`); versions of one rubric share it.
    @Field(key: "rubric_key") var key: String
    /// 1, 2, 3, … per rubric, in the order saved.
    @Field(key: "number") var number: Int
    /// The `version` the file itself declares.
    @Field(key: "label") var label: String
    @Field(key: "title") var title: String
    @Field(key: "level") var level: UnitLevel
    @Field(key: "yaml") var yaml: String
    @Field(key: "sha256") var sha256: String
    @Field(key: "created_by") var createdBy: String
    @Field(key: "note") var note: String

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [$id, $createdAt, $key, $number, $label, $title, $level, $yaml, $sha256, $createdBy, $note]
    }

    init() {}

    init(
        key: String, number: Int, label: String, title: String, level: UnitLevel, yaml: String, sha256: String,
        createdBy: String, note: String
    ) {
        self.key = key
        self.number = number
        self.label = label
        self.title = title
        self.level = level
        self.yaml = yaml
        self.sha256 = sha256
        self.createdBy = createdBy
        self.note = note
    }
}
