import Fluent
import KaoheCore
import SQLKit
import Vapor

/// A node of the org tree: 党总支 → 党支部 → 党小组 → 党员. A unit is assessed by its parent.
/// Members (党员) are units too, so that every assessment is of a unit; their personal fields are
/// empty for the other kinds.
final class Unit: Model, @unchecked Sendable {
    static let schema = "units"

    enum Kind: String, Codable, CaseIterable, Sendable {
        case general, branch, group, member

        var label: String {
            switch self {
            case .general: "党总支"
            case .branch: "党支部"
            case .group: "党小组"
            case .member: "党员"
            }
        }

        /// The rubric level that assesses units of this kind; the general branch is assessed by none. The one
        /// mapping between the org tree's kinds and the rubric file's `level`.
        var rubricLevel: UnitLevel? {
            switch self {
            case .general: nil
            case .branch: .branch
            case .group: .group
            case .member: .member
            }
        }

        init(_ level: UnitLevel) {
            switch level {
            case .branch: self = .branch
            case .group: self = .group
            case .member: self = .member
            }
        }

        /// The kind of the parent a unit of this kind must have (nil: the root).
        var parentKind: Kind? {
            switch self {
            case .general: nil
            case .branch: .general
            case .group: .branch
            case .member: .group
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    /// Stable identifier used in URLs, imports and role grants (`branch-1`).
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "kind") var kind: Kind
    @OptionalField(key: "parent_code") var parentCode: String?
    @Field(key: "sort_order") var sortOrder: Int

    // Members only.
    @OptionalField(key: "position") var position: String?  // 职务
    @OptionalField(key: "joined_on") var joinedOn: String?  // 入党日期, yyyy-MM-dd
    @Field(key: "holds_mid_level_post") var holdsMidLevelPost: Bool  // 中层: 细则 (六)1
    /// 局党组成员 (细则 6.3: their absences from their own group's activities count against it); nil read as no.
    @OptionalField(key: "in_leadership_group") var inLeadershipGroup: Bool?
    /// The day a member left the bureau's organisation (转出, death or removal); nil while they belong. Their unit
    /// stays, under their last group, so that their past sheets, records and history read as they were.
    @OptionalField(key: "left_on") var leftOn: String?
    /// A branch or group added after the ledger began: counted from this day, not for the year before it.
    @OptionalField(key: "counted_from") var countedFrom: String?

    /// Named instead of found by reflection on every row read (Fluent's default); `ModelPropertiesTests` holds
    /// the list to the declarations above.
    var properties: [any AnyProperty] {
        [
            $id, $createdAt, $code, $name, $kind, $parentCode, $sortOrder, $position, $joinedOn, $holdsMidLevelPost,
            $inLeadershipGroup, $leftOn, $countedFrom,
        ]
    }

    init() {}

    init(
        code: String, name: String, kind: Kind, parentCode: String?, sortOrder: Int = 0,
        position: String? = nil, joinedOn: String? = nil, holdsMidLevelPost: Bool = false
    ) {
        self.code = code
        self.name = name
        self.kind = kind
        self.parentCode = parentCode
        self.sortOrder = sortOrder
        self.position = position
        self.joinedOn = joinedOn
        self.holdsMidLevelPost = holdsMidLevelPost
    }
}

extension Unit {
    /// The names of just these units, for pages that show names, not codes; an unknown code is left out.
    static func names(of codes: some Sequence<String>, on db: any Database) async throws -> [String: String] {
        let wanted = Array(Set(codes))
        guard !wanted.isEmpty else { return [:] }
        let units = try await Unit.query(on: db).all(where: \.$code, in: wanted)
        return Dictionary(units.map { ($0.code, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// The 党小组 directly under `unit` (a branch's), in the tree's order; none under any other unit.
    static func groups(of unit: String, on db: any Database) async throws -> [Unit] {
        try await Unit.query(on: db).filter(\.$parentCode == unit).filter(\.$kind == .group)
            .sort(\.$sortOrder).sort(\.$code).all()
    }

    /// The unit's row, locked for the transaction where the database can lock a row (PostgreSQL), so that two
    /// changes of one unit at once run one after the other and the second sees the first (SQLite's single writer
    /// does the same).
    static func held(_ code: String, on db: any Database) async throws -> Unit? {
        let sql = db as! any SQLDatabase
        let hold: SQLQueryString = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await db.rows(Unit.self, "SELECT * FROM \(ident: Unit.schema) WHERE code = \(bind: code)\(hold)")
            .first
    }
}
