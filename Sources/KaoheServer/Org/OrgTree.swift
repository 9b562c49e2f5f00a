import Fluent
import Vapor

/// The org tree's rules: codes are stable and unique, and each kind hangs under the kind above it.
enum OrgTree {
    /// The general branch (党总支) is the root of every bureau's tree and always has this code, so that
    /// bureau-wide roles (organizer, panel, approver, admin) have a fixed unit before the tree is imported.
    static let rootCode = "general"

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// What the audit log and the API show of a unit.
    struct UnitRecord: Content, Equatable {
        let code: String
        let name: String
        let kind: String
        let parent: String?

        /// The root's parent is `null`, not missing: the contract's shape has all four keys.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(code, forKey: .code)
            try container.encode(name, forKey: .name)
            try container.encode(kind, forKey: .kind)
            try container.encode(parent, forKey: .parent)
        }
    }

    static func record(_ unit: Unit) -> UnitRecord {
        UnitRecord(code: unit.code, name: unit.name, kind: unit.kind.rawValue, parent: unit.parentCode)
    }

    static func create(_ unit: Unit, actor: String, on db: any Database) async throws {
        guard unit.code.range(of: #"^[a-z0-9][a-z0-9-]{0,63}$"#, options: .regularExpression) != nil else {
            throw Problem(description: "code: 只能由小写字母、数字和 - 组成 (code must match [a-z0-9-]+): \(unit.code)")
        }
        try await db.writeTransaction { db in
            if let expected = unit.kind.parentKind {
                guard let parentCode = unit.parentCode,
                    let parent = try await Unit.query(on: db).filter(\.$code == parentCode).first()
                else {
                    throw Problem(
                        description:
                            "parent: \(unit.kind.label)须隶属于一个\(expected.label) (unknown parent \(unit.parentCode ?? "-"))"
                    )
                }
                guard parent.kind == expected else {
                    throw Problem(
                        description:
                            "parent: \(unit.kind.label)须隶属于\(expected.label)，而 \(parent.code) 是\(parent.kind.label)")
                }
                if let retired = parent.leftOn {
                    throw Problem(description: "parent: \(parent.name) 已于 \(retired) 撤销 (a retired unit)")
                }
            } else if unit.parentCode != nil {
                throw Problem(description: "parent: 党总支没有上级组织 (the general branch has no parent)")
            }
            if try await Unit.query(on: db).filter(\.$code == unit.code).count() > 0 {
                throw Problem(description: "code: \(unit.code) 已存在 (exists)")
            }
            try await unit.create(on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .unitCreate, subject: .unit(unit.code), after: record(unit))
        }
    }

    /// Changes what may change about a unit (its name, and a member's details); its code, kind and place
    /// in the tree stay, since role grants, imports and past results refer to them.
    static func update(
        _ code: String, name: String, position: String?, joinedOn: String?, midLevel: Bool,
        leadership: Bool? = nil, actor: String, on db: any Database
    ) async throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw Problem(description: "name: 名称不能为空") }
        if let joinedOn, !joinedOn.isEmpty, !OrgImport.isDate(joinedOn) {
            throw Problem(description: "joinedOn: \(OrgImport.dateRule(joinedOn))")
        }
        try await db.writeTransaction { db in
            guard let unit = try await Unit.query(on: db).filter(\.$code == code).first() else {
                throw Abort(.notFound, reason: "组织 \(code) 不存在")
            }
            let before = MemberRecord(unit)
            unit.name = name.trimmingCharacters(in: .whitespaces)
            if unit.kind == .member {
                unit.position = position?.isEmpty == true ? nil : position
                unit.joinedOn = joinedOn?.isEmpty == true ? nil : joinedOn
                unit.holdsMidLevelPost = midLevel
                if let leadership { unit.inLeadershipGroup = leadership }
            }
            try await unit.save(on: db)
            if before.name != unit.name {
                try await Results.rename(unit, on: db)
                try await KeptLedgerYear.rostersChanged(around: [code], on: db)
            }
            try await AuditLog.append(
                on: db, actor: actor, action: .unitUpdate, subject: .unit(code),
                before: before, after: MemberRecord(unit))
        }
    }

    /// What the audit log keeps of a unit's editable fields.
    struct MemberRecord: Codable {
        let name: String
        let position: String?
        let joinedOn: String?
        let midLevel: Bool
        let leadership: Bool?

        init(_ unit: Unit) {
            name = unit.name
            position = unit.position
            joinedOn = unit.joinedOn
            midLevel = unit.holdsMidLevelPost
            leadership = unit.inLeadershipGroup
        }
    }

    /// 第一党小组 rather than 机关第一党支部第一党小组 on the branch's own page.
    static func shortName(_ name: String, under parent: String) -> String {
        name.hasPrefix(parent) && name.count > parent.count ? String(name.dropFirst(parent.count)) : name
    }
}
