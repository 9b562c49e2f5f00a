import Fluent
import Foundation
import SQLKit

/// How many times what a unit's draft sheet reads from the records has changed (issue 29): a kept reading of a
/// sheet (`KeptSheetReading`) is served only while the epochs it was counted at are still the current ones.
/// A unit's epoch moves with every recount of it or of a unit below it (`KeptLedgerYear.recount`); the bureau's
/// (`LedgerEpoch.bureau`) with every audited change that is not a sheet's own or a ledger record's (an office, a
/// fact, the tree, a setting, a rubric: `AuditAction.movesReadings`), each inside the write's transaction.
final class LedgerEpoch: Model, @unchecked Sendable {
    static let schema = "ledger_epochs"

    /// The row every sheet's reading depends on.
    static let bureau = "*"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "epoch") var epoch: Int

    var properties: [any AnyProperty] { [$id, $unitCode, $epoch] }

    init() {}

    /// Moves the epoch of `units` and of the groups and branches above them: a group's records are its branch's
    /// too, and a first record below a unit is that unit's.
    static func advance(_ units: some Collection<String>, on db: any Database) async throws {
        guard !units.isEmpty else { return }
        let chains = try await Access.chains(of: units, on: db)
        let above = try await Unit.query(on: db).filter(\.$kind ~~ [.group, .branch])
            .all(where: \.$code, in: Set(chains.values.joined()))
        try await advance(codes: Set(units).union(above.map(\.code)), on: db)
    }

    /// The bureau's epoch now.
    static func bureauEpoch(on db: any Database) async throws -> Int {
        struct Row: Decodable { let epoch: Int }
        return try await db.sql.raw(
            "SELECT epoch FROM \(ident: schema) WHERE unit_code = \(bind: bureau)"
        ).first(decoding: Row.self)?.epoch ?? 0
    }

    /// Moves the bureau's epoch: every kept reading is counted again when next read.
    static func advanceBureau(on db: any Database) async throws {
        try await advance(codes: [bureau], on: db)
    }

    private static func advance(codes: Set<String>, on db: any Database) async throws {
        // In one order, so two writers moving the same rows take them in the same order.
        for batch in codes.sorted().chunked(into: 1_000) {
            var values: [SQLQueryString] = []
            for code in batch { values.append("(\(bind: UUID()), \(bind: code), 1)") }
            try await db.sql.raw(
                """
                INSERT INTO \(ident: schema) (id, unit_code, epoch) VALUES \(values.joined(separator: ", "))
                ON CONFLICT (unit_code) DO UPDATE SET epoch = \(ident: schema).epoch + 1
                """
            ).run()
        }
    }
}
