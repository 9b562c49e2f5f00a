import Fluent
import Vapor

/// 考核意见: the panel's written opinion on one item of a sheet (办法 四(二) 逐项考核，并提出考核意见).
final class SheetOpinion: Model, @unchecked Sendable {
    static let schema = "assessment_opinions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "assessment_id") var sheet: Sheet
    /// The rubric item's id (`2.4`).
    @Field(key: "item") var item: String
    @Field(key: "text") var text: String
    @Field(key: "author") var author: String
    /// The sheet's version this item's opinion was last written at: a writer who read the sheet before it is
    /// refused, one who read it after any other item's change is not (panel members work side by side). An
    /// emptied opinion keeps its row (text "") so that a stale writer cannot bring it back unseen.
    @Field(key: "changed_at_version") var changedAtVersion: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] { [$id, $sheet, $item, $text, $author, $changedAtVersion, $updatedAt] }

    init() {
        changedAtVersion = 0
    }
}
