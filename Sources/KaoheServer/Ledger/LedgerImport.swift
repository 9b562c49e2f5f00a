import Fluent
import KaoheCore
import Vapor

/// Past records brought in from a spreadsheet (api.md `POST …/activities/import`): CSV as Excel or WPS saves it
/// (UTF-8 or GBK), header `type,date,topic,attendees,absent` (and `excused`, optional), type as the code or its
/// Chinese name, people as member codes separated by `;`. Every row is checked as a record made by hand; one bad
/// row and nothing is imported, each problem named with its row (as the spreadsheet numbers it) and field.
enum LedgerImport {
    struct Problem: Content, Equatable {
        let row: Int
        let field: String
        let message: String
    }

    enum Outcome {
        case imported(Int)
        case problems([Problem])
    }

    static let maxRows = 5_000
    static let columns = ["type", "date", "topic", "attendees", "absent", "excused"]

    static func activities(_ data: Data, for unit: Unit, actor: String, today: CalendarDay, on db: any Database) async throws -> Outcome {
        guard let text = CSVTable.decode(data) else {
            return .problems([Problem(row: 1, field: "file", message: "文件既不是 UTF-8 也不是 GBK 编码的文本，请另存为 CSV (neither UTF-8 nor GBK)")])
        }
        let rows = CSVTable.parse(text)
        let header = (rows.first ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let required = Array(columns.prefix(5))
        guard required.allSatisfy(header.contains), header.allSatisfy(columns.contains) else {
            return .problems([Problem(row: 1, field: "header",
                                      message: "表头应为 \(required.joined(separator: ","))（可加 excused） (the header row)")])
        }
        guard rows.count > 1 else { return .problems([Problem(row: 2, field: "file", message: "没有数据行 (no rows)")]) }
        guard rows.count - 1 <= maxRows else {
            return .problems([Problem(row: maxRows + 2, field: "file", message: "一次至多导入 \(maxRows) 行 (at most \(maxRows) rows)")])
        }
        let roster = Set(try await Ledger.members(of: unit.code, on: db).map(\.code))
        var problems: [Problem] = []
        var records: [Activity] = []
        for (index, row) in rows.dropFirst().enumerated() {
            func cell(_ name: String) -> String? {
                header.firstIndex(of: name).flatMap { $0 < row.count ? row[$0].trimmingCharacters(in: .whitespaces) : nil }
            }
            func people(_ name: String) -> [String] {
                (cell(name) ?? "").split(whereSeparator: { ";；".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            }
            let type = cell("type").map { raw in ActivityType.allCases.first { $0.label == raw }?.rawValue ?? raw }
            let input = Ledger.Input(type: type, date: cell("date"), topic: cell("topic"), attendees: people("attendees"),
                                     absent: people("absent"), excused: people("excused"))
            do {
                records.append(try Ledger.checked(input, for: unit, actor: actor, today: today, roster: roster))
            } catch let problem as ValidationProblem {
                problems.append(Problem(row: index + 2, field: problem.field, message: problem.rule))
            }
        }
        guard problems.isEmpty else { return .problems(problems) }
        let checked = records
        try await db.writeTransaction { db in
            for record in checked { try await Ledger.keep(record, on: db) }
        }
        return .imported(checked.count)
    }
}
