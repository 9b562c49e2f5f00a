import Fluent
import KaoheCore
import Vapor

extension LedgerImport {
    /// `kind,year,submittedOn[,title]`: kind as the code or its Chinese name (工作计划, 学习教育计划 …). One of each kind
    /// a year: a second in the file, or one already recorded, is the row's problem.
    static func documents(
        _ table: Table, by permit: Permit<Rights.RecordLedger>, today: CalendarDay, on db: any Database
    ) async throws -> Outcome {
        let (unit, actor) = (permit.unit, permit.actor)
        let recorded = Set(
            try await UnitDocument.query(on: db).filter(\.$unitCode == unit.code).all().map { "\($0.kind)/\($0.year)" })
        var seen: Set<String> = []
        let (documents, problems) = table.checked { _, cells in
            let input = Documents.Input(
                kind: table.cell("kind", of: cells), year: table.cell("year", of: cells).flatMap { Int($0) },
                submittedOn: table.cell("submittedOn", of: cells), title: table.cell("title", of: cells))
            let document = try Documents.checked(input, for: unit, actor: actor, today: today)
            let key = "\(document.kind)/\(document.year)"
            guard !recorded.contains(key), seen.insert(key).inserted else {
                let label = document.kind.label
                throw ValidationProblem(field: "kind", rule: "\(document.year)年\(label)已登记 (one of each kind a year)")
            }
            return document
        }
        guard problems.isEmpty else { return .problems(problems) }
        try await db.writeInBatches(documents) { db, batch in
            for document in batch { try await Documents.keep(document, by: permit, on: db) }
            try await KeptLedgerYear.recount([permit.unit.code], years: Set(batch.map(\.year)), on: db)
        }
        return .imported(documents.count)
    }
}
