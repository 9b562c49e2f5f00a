import Fluent

/// Reads and changes by a list of keys in batches: PostgreSQL binds at most 65,535 values in one statement, and a
/// bureau of 3,000 branches has 168,000 units, so no query carries a list of codes or ids as long as the bureau.
extension QueryBuilder {
    /// How many keys one statement carries.
    static var batchSize: Int { 5_000 }

    /// The rows (under the filters already set) whose `field` is one of `values`.
    func all<Field: QueryableProperty>(
        where field: KeyPath<Model, Field>, in values: some Collection<Field.Value>
    ) async throws -> [Model] where Field.Model == Model {
        var rows: [Model] = []
        for batch in Array(values).chunked(into: Self.batchSize) {
            rows += try await copy().filter(field ~~ Array(batch)).all()
        }
        return rows
    }

    /// How many rows (under the filters already set) have `field` among `values`.
    func count<Field: QueryableProperty>(
        where field: KeyPath<Model, Field>, in values: some Collection<Field.Value>
    ) async throws -> Int where Field.Model == Model {
        var count = 0
        for batch in Array(values).chunked(into: Self.batchSize) {
            count += try await copy().filter(field ~~ Array(batch)).count()
        }
        return count
    }

    /// Deletes the rows (under the filters already set) whose `field` is one of `values`.
    func delete<Field: QueryableProperty>(
        where field: KeyPath<Model, Field>, in values: some Collection<Field.Value>
    ) async throws where Field.Model == Model {
        for batch in Array(values).chunked(into: Self.batchSize) {
            try await copy().filter(field ~~ Array(batch)).delete()
        }
    }
}
