import Fluent
import Vapor

/// 组织与人员: the tree with its members, the form to add a unit, and the CSV import with its report.
struct OrgAdminPage: Encodable {
    struct Node: Encodable {
        let code: String
        let name: String
        let kind: String
        let kindLabel: String
        let depth: Int
        let position: String?
        let joinedOn: String?
        let midLevel: Bool
    }

    struct UnitForm: Content {
        var kind: String?
        var code: String?
        var name: String?
        var parent: String?
        var position: String?
        var joinedOn: String?
        var midLevel: String?
        /// 局党组成员: 是 or 否.
        var leadership: String?
    }

    let chrome: PageChrome
    let nodes: [Node]
    let form: UnitForm
    let formError: String?
    let importProblems: [String]
    let notice: String?
    /// 发文机关 and 发文字号 on every Word paper (`Letterhead`), as typed when refused.
    let letterhead: Letterhead
    let letterheadErrors: [String: String]
    /// The changes a re-imported file would make, waiting for 确认导入 (`OrgUpdate`).
    var preview: Preview? = nil

    struct Preview: Encodable {
        struct Line: Encodable {
            let line: Int
            let code: String
            let label: String
            let summary: String
        }
        let token: String
        let digest: String
        let lines: [Line]
        /// Said above the lines when the tree changed since the file was first checked.
        let changedMeanwhile: Bool
    }

    static func query(
        on request: Request, form: UnitForm = UnitForm(), formError: String? = nil,
        importProblems: [String] = [], notice: String? = nil, letterhead typed: Letterhead? = nil,
        letterheadErrors: [String: String] = [:]
    ) async throws -> OrgAdminPage {
        let units = OrgTree.treeOrder(try await Unit.query(on: request.db).sort(\.$sortOrder).sort(\.$code).all())
        let depth = [Unit.Kind.general: 0, .branch: 1, .group: 2, .member: 3]
        let letterhead = if let typed { typed } else { try await Letterhead.current(on: request.db) }
        return OrgAdminPage(
            chrome: try await PageChrome.make("组织与人员", request),
            nodes: units.map {
                Node(
                    code: $0.code, name: $0.name, kind: $0.kind.rawValue, kindLabel: $0.kind.label,
                    depth: depth[$0.kind] ?? 0,
                    position: $0.position, joinedOn: $0.joinedOn, midLevel: $0.holdsMidLevelPost)
            },
            form: form, formError: formError, importProblems: importProblems, notice: notice,
            letterhead: letterhead, letterheadErrors: letterheadErrors)
    }
}
