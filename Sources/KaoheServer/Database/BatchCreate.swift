import Fluent

extension Array where Element: Model {
    /// Saves new rows a few hundred to a statement: one INSERT a batch instead of one a row (a quarter opens
    /// 56,000 sheets at a city's scale), and well under either database's limit on bound values.
    func create(on db: any Database, inBatchesOf size: Int) async throws {
        var start = startIndex
        while start < endIndex {
            let end = Swift.min(start + size, endIndex)
            try await Array(self[start..<end]).create(on: db)
            start = end
        }
    }
}
