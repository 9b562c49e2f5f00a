import Fluent
import Foundation

extension OrgImport {
    /// Who the audit log names for units `kaohe import` created: the command, not a person.
    static let actor = "import"

    /// Checks a table against the units already kept (`check`).
    static func check(_ table: [[String]], on db: any Database) async throws -> Outcome {
        let existing = try await Unit.query(on: db).all()
        return check(table, existing: Dictionary(uniqueKeysWithValues: existing.map { ($0.code, $0.kind) }))
    }

    /// Creates the checked rows, parents first, each with its audit event, all in one transaction: a failure half-way
    /// leaves nothing behind. `progress` hears after every row, for a city's 56,000.
    static func apply(
        _ rows: [Row], actor: String, on db: any Database,
        progress: @escaping @Sendable (WorkProgress) -> Void = { _ in }
    ) async throws {
        try await db.writeTransaction { db in
            for (index, row) in rows.enumerated() {
                let unit = Unit(
                    code: row.code, name: row.name, kind: row.kind, parentCode: row.parent, sortOrder: row.line,
                    position: row.position, joinedOn: row.joinedOn, holdsMidLevelPost: row.midLevel)
                unit.inLeadershipGroup = row.leadership
                try await OrgTree.create(unit, actor: actor, on: db)
                progress(WorkProgress(step: "导入 units", done: index + 1, total: rows.count))
            }
            try await KeptLedgerYear.rostersChanged(around: rows.map(\.code), on: db)
        }
    }

}

extension KaoheServerApp {
    /// A CSV of the org tree could not be imported: its problems, row by row.
    public struct ImportProblem: Error, CustomStringConvertible {
        public let description: String
    }

    /// `kaohe import FILE`: the org tree's CSV (UTF-8 or GBK, as Excel and WPS save it; the columns of the 组织管理
    /// page's import) checked row by row and imported all or nothing, with progress. Returns the summary to print.
    public static func importOrg(
        settings: Settings, from path: String,
        progress: @escaping @Sendable (WorkProgress) -> Void
    ) async throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsError("无法读取 cannot read \(path)")
        }
        let rows: [[String]]
        switch CSVTable.rows(data) {
        case .failure(let unreadable): throw ImportProblem(description: unreadable.message)
        case .success(let read): rows = read
        }
        var summary = ""
        try await withApplication(settings: settings) { app in
            try await app.autoMigrate()
            func refuse(_ problems: [OrgImport.RowProblem]) -> ImportProblem {
                let shown = problems.prefix(50).map(\.description)
                let more =
                    problems.count > 50 ? ["……另有 \(problems.count - 50) 处 (and \(problems.count - 50) more)"] : []
                return ImportProblem(
                    description: (["未导入任何一行 nothing imported:"] + shown + more).joined(separator: "\n"))
            }
            let today = BureauCalendar.today()
            switch try await OrgUpdate.plan(rows, on: app.db, today: today) {
            case .problems(let problems): throw refuse(problems)
            case .plan(let plan):
                do {
                    try await OrgUpdate.apply(
                        plan, actor: OrgImport.actor, today: today, on: app.db, progress: progress)
                } catch let refused as OrgUpdate.Refused { throw refuse([refused.problem]) }
                summary = OrgUpdate.summary(of: plan)
            }
        }
        return summary
    }
}
