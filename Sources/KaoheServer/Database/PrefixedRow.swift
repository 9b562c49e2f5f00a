import SQLKit

/// The columns of a row that carry `prefix`, read as a row of their own without it: a model decoded from a join,
/// beside another whose columns keep their names.
struct PrefixedRow: SQLRow {
    let row: any SQLRow
    let prefix: String

    init(_ row: any SQLRow, prefix: String) {
        self.row = row
        self.prefix = prefix
    }

    var allColumns: [String] {
        row.allColumns.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
    }

    func contains(column: String) -> Bool { row.contains(column: prefix + column) }

    func decodeNil(column: String) throws -> Bool { try row.decodeNil(column: prefix + column) }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        try row.decode(column: prefix + column, as: type)
    }
}
