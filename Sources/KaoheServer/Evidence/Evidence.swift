import Fluent
import Vapor

/// 考核依据: one file behind an entry or an objection. The bytes are kept once per SHA-256 (content-addressed);
/// this row holds what people need to know of them.
final class Evidence: Model, @unchecked Sendable {
    static let schema = "evidence"

    /// Where the evidence came from, in the words of 办法 五.
    enum Source: String, Codable, CaseIterable, Sendable {
        case records  // 各党支部、党小组日常工作的各种记录
        case bureauLeader  // 局领导反馈的情况
        case committeeMember  // 党总支委员反馈的情况
        case panelInspection  // 考核小组成员检查的情况
        case workCommittee  // 机关党工委反馈的情况
        case other  // 其他情况反馈

        var label: String {
            switch self {
            case .records: "日常工作记录"
            case .bureauLeader: "局领导反馈"
            case .committeeMember: "党总支委员反馈"
            case .panelInspection: "考核小组检查"
            case .workCommittee: "机关党工委反馈"
            case .other: "其他情况反馈"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Parent(key: "assessment_id") var sheet: Sheet
    @OptionalParent(key: "entry_id") var entry: SheetEntry?
    @OptionalParent(key: "objection_id") var objection: Objection?
    @Field(key: "sha256") var sha256: String
    @Field(key: "filename") var filename: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "source") var source: Source
    @Field(key: "uploaded_by") var uploadedBy: String

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [
            $id, $createdAt, $sheet, $entry, $objection, $sha256, $filename, $contentType, $size, $source,
            $uploadedBy,
        ]
    }

    init() {}
}
