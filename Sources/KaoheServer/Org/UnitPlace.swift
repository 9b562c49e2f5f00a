import SQLKit

/// A unit as the tree places it: what a board and a path name it by, and where it stands. Read by hand for the
/// units a page shows and those above them: a Fluent `Unit` of twelve property objects was built for each of a
/// board's fifty rows to read these five.
struct UnitPlace: Sendable {
    let code: String
    let name: String
    let kind: Unit.Kind
    let parentCode: String?
    let sortOrder: Int

    static let columns: SQLQueryString = "code, name, kind, parent_code, sort_order"

    init(_ row: any SQLRow) throws {
        code = try row.decode(column: "code", as: String.self)
        name = try row.decode(column: "name", as: String.self)
        kind = try row.decode(column: "kind", as: Unit.Kind.self)
        parentCode = try row.decode(column: "parent_code", as: String?.self)
        sortOrder = try row.decode(column: "sort_order", as: Int.self)
    }
}
