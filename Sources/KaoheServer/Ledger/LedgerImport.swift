import Fluent
import KaoheCore
import Vapor

/// Past records brought in from a spreadsheet (api.md `POST …/activities/import`, and the same for dues and
/// documents): CSV as Excel or WPS saves it (UTF-8 or GBK), a header row naming the columns. Every row is checked as
/// a record made by hand; one bad row and nothing is imported, each problem named with its row (as the spreadsheet
/// numbers it) and field.
enum LedgerImport {
    struct Problem: Content, Equatable, Error {
        let row: Int
        let field: String
        let message: String
    }

    enum Outcome {
        case imported(Int)
        case problems([Problem])
    }

    /// What a file holds, as the page's chooser and the routes name it.
    enum Kind: String, CaseIterable {
        case activities, dues, documents

        var label: String {
            switch self {
            case .activities: "活动记录"
            case .dues: "党费"
            case .documents: "计划与总结"
            }
        }

        /// The columns a file must have, then those it may have.
        var columns: (required: [String], optional: [String]) {
            switch self {
            case .activities: (["type", "date", "topic", "attendees", "absent"], ["excused", "group"])
            case .dues: (["month", "member", "amount", "paidOn"], ["due", "signed", "handedOverOn"])
            case .documents: (["kind", "year", "submittedOn"], ["title"])
            }
        }
    }

    static let maxRows = 5_000

    /// A file's data rows under its header; `cell` reads a column by name, trimmed.
    struct Table {
        let header: [String]
        let rows: [[String]]

        func cell(_ name: String, of row: [String]) -> String? {
            header.firstIndex(of: name).flatMap { $0 < row.count ? row[$0].trimmingCharacters(in: .whitespaces) : nil }
        }

        static func blank(_ row: [String]) -> Bool {
            row.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }

        /// Each row checked by `check`, numbered as the spreadsheet numbers it (the header is row 1); a refusal
        /// becomes the row's problem. Blank rows are passed over.
        func checked<Record>(_ check: (Int, [String]) throws -> Record) -> ([Record], [Problem]) {
            var records: [Record] = [], problems: [Problem] = []
            for (index, row) in rows.enumerated() where !Self.blank(row) {
                do {
                    records.append(try check(index + 2, row))
                } catch let problem as ValidationProblem {
                    problems.append(Problem(row: index + 2, field: problem.field, message: problem.rule))
                } catch {
                    problems.append(Problem(row: index + 2, field: "row", message: "\(error)"))
                }
            }
            return (records, problems)
        }
    }

    /// The file decoded and parsed, its header checked against `kind`'s columns; or the one problem with the file.
    static func table(_ data: Data, of kind: Kind) -> Result<Table, Problem> {
        let rows: [[String]]
        switch CSVTable.rows(data) {
        case .failure(let unreadable):
            return .failure(Problem(row: unreadable.row, field: "file", message: unreadable.message))
        case .success(let read): rows = read
        }
        let header = (rows.first ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        let (required, optional) = kind.columns
        let known = Dictionary(uniqueKeysWithValues: (required + optional).map { ($0.lowercased(), $0) })
        let named = header.map { known[$0.lowercased()] ?? $0 }
        guard required.allSatisfy(named.contains), named.allSatisfy((required + optional).contains) else {
            let more = optional.isEmpty ? "" : "（可加 \(optional.joined(separator: ","))）"
            return .failure(
                Problem(
                    row: 1, field: "header", message: "表头应为 \(required.joined(separator: ","))\(more) (the header row)")
            )
        }
        guard rows.dropFirst().contains(where: { !Table.blank($0) }) else {
            return .failure(Problem(row: 2, field: "file", message: "没有数据行 (no rows)"))
        }
        guard rows.count - 1 <= maxRows else {
            return .failure(
                Problem(row: maxRows + 2, field: "file", message: "一次至多导入 \(maxRows) 行 (at most \(maxRows) rows)"))
        }
        return .success(Table(header: named, rows: Array(rows.dropFirst())))
    }

    /// Imports a file of `kind` for the unit: every row is checked first, and a file with any problem imports nothing;
    /// a good one is written in batches (`writeInBatches`), so that the other secretaries' saves go between them.
    /// Dues need the dues keeper's permit besides (the same secretary, for a branch); 403 without it.
    static func run(
        _ kind: Kind, _ data: Data, by permit: Permit<Rights.RecordLedger>, as user: User, today: CalendarDay,
        on db: any Database
    ) async throws -> Outcome {
        let dues = kind == .dues ? try await Policy.duesKeeper(user, of: permit.unit, on: db) : nil
        let table: Table
        switch Self.table(data, of: kind) {
        case .failure(let problem): return .problems([problem])
        case .success(let read): table = read
        }
        return switch kind {
        case .activities: try await activities(table, by: permit, today: today, on: db)
        case .dues: try await self.dues(table, by: dues!, today: today, on: db)
        case .documents: try await documents(table, by: permit, today: today, on: db)
        }
    }

    /// `type,date,topic,attendees,absent[,excused][,group]`: type as the code or its Chinese name, people as member
    /// codes separated by `;`, a branch's 党小组会 with its group's code.
    static func activities(
        _ table: Table, by permit: Permit<Rights.RecordLedger>, today: CalendarDay, on db: any Database
    ) async throws -> Outcome {
        let (unit, actor) = (permit.unit, permit.actor)
        let rosters = try await Ledger.rosters(of: unit, on: db)
        let groups = Set(try await Unit.groups(of: unit.code, on: db).map(\.code))
        // The same file imported twice, or a row repeated in it, would count one meeting twice: a record the unit
        // already keeps (same type, date and topic) is the row's problem, and nothing is imported.
        func key(_ record: Activity) -> String { "\(record.type.rawValue)|\(record.date)|\(record.topic)" }
        let kept = Set(
            try await Activity.query(on: db).filter(\.$unitCode == unit.code).filter(\.$withdrawn == false).all().map(
                key))
        var seen: [String: Int] = [:]
        let (records, problems) = table.checked { number, row in
            func people(_ name: String) -> [String] {
                (table.cell(name, of: row) ?? "").split(whereSeparator: { ";；".contains($0) }).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
            }
            let type = table.cell("type", of: row).map { raw in
                ActivityType.allCases.first { $0.label == raw }?.rawValue ?? raw
            }
            let input = Ledger.Input(
                type: type, date: table.cell("date", of: row), topic: table.cell("topic", of: row),
                group: table.cell("group", of: row), attendees: people("attendees"), absent: people("absent"),
                excused: people("excused"))
            let record = try Ledger.checked(
                input, for: unit, actor: actor, today: today, rosters: rosters, groups: groups)
            let described = "\(record.date) \(record.type.label)“\(record.topic)”"
            guard !kept.contains(key(record)) else {
                throw ValidationProblem(field: "topic", rule: "\(described) 已登记过，不再导入 (already recorded)")
            }
            if let first = seen[key(record)] {
                throw ValidationProblem(field: "topic", rule: "\(described) 与第 \(first) 行重复 (the same row twice)")
            }
            seen[key(record)] = number
            return record
        }
        guard problems.isEmpty else { return .problems(problems) }
        try await db.writeInBatches(records) { db, batch in
            for record in batch { try await Ledger.keep(record, by: permit, on: db) }
            try await KeptLedgerYear.recount([permit.unit.code], years: Set(batch.map(\.year)), on: db)
        }
        return .imported(records.count)
    }
}
