import Fluent
import Foundation
import KaoheCore

/// 细则 2.3: a plan or summary of the year a unit reported to the general branch, and when. One of each kind a
/// year: a second is refused (409), a mistaken one withdrawn like an activity record.
final class UnitDocument: Model, @unchecked Sendable {
    static let schema = "unit_documents"

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "unit_code") var unitCode: String
    /// A `DocumentKind`: workPlan, studyPlan, developmentPlan, cohesionPlan, workSummary.
    @Field(key: "kind") var kind: DocumentKind
    @Field(key: "year") var year: Int
    /// The day it went to the general branch, `2026-01-20`.
    @Field(key: "submitted_on") var submittedOn: String
    @Field(key: "title") var title: String
    @Field(key: "created_by") var createdBy: String
    /// The document itself, when attached: its bytes are kept once by SHA-256 in the evidence store.
    @OptionalField(key: "file_name") var fileName: String?
    @OptionalField(key: "file_sha256") var fileSHA256: String?
    @OptionalField(key: "file_type") var fileType: String?
    @OptionalField(key: "file_size") var fileSize: Int?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [
            $id, $createdAt, $unitCode, $kind, $year, $submittedOn, $title, $createdBy, $fileName, $fileSHA256,
            $fileType, $fileSize,
        ]
    }

    init() {}
}
