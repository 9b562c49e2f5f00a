import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 党团园地: the published results of one period at one level, ranked by KaoheCore's `Standings`.
enum Results {
    struct Row: Content, Equatable {
        struct Category: Content, Equatable {
            let id: String
            let title: String
            let score: Decimal
            let max: Decimal
        }

        let unit: String
        var name: String
        let total: Decimal
        let bonus: Decimal
        let grade: String
        let gradeLabel: String
        let rank: Int
        var vetoed: Bool
        /// 复核中: an upheld objection is re-reviewing it; the row is the result as published, rank and all,
        /// until the new result is published.
        let reviewing: Bool
        let categories: [Category]

        /// The same row at another rank.
        func ranked(_ rank: Int) -> Row {
            Row(
                unit: unit, name: name, total: total, bonus: bonus, grade: grade, gradeLabel: gradeLabel, rank: rank,
                vetoed: vetoed, reviewing: reviewing, categories: categories)
        }
    }

    /// The sheets of `level` as last published, as stored at their publication; nil before the period is published
    /// (branches) or before any sheet of a lower level was reported (备案). Decoded once per stored version
    /// (`decoded`), for levels of at most `heldRows`.
    static func rows(of period: Period, level: Unit.Kind = .branch, on db: any Database) async throws -> [Row]? {
        if level != .branch {
            let filed = try await FiledResults.rows(of: period, level: level, on: db)
            return filed.isEmpty ? nil : filed
        }
        if period.publishedOn == nil { return nil }
        return try await held(decoded, of: period, level: level, on: db, holding: { $0.count <= heldRows }) {
            try $0.decoded()
        }
    }

    /// A published level's rows by unit, held as `decoded` is: a board's page looks up its fifty instead of indexing
    /// a thousand for each reader.
    static func rowsByUnit(of period: Period, level: Unit.Kind = .branch, on db: any Database) async throws -> [String:
        Row]?
    {
        if level != .branch {
            return try await rows(of: period, level: level, on: db).map { rows in
                Dictionary(rows.map { ($0.unit, $0) }, uniquingKeysWith: { first, _ in first })
            }
        }
        if period.publishedOn == nil { return nil }
        return try await held(indexed, of: period, level: level, on: db, holding: { $0.count <= heldRows }) { stored in
            Dictionary(try stored.decoded().map { ($0.unit, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Each branch's total only, as published: the trend of the board.
    static func totals(of period: Period, on db: any Database) async throws -> [(unit: String, total: Decimal)] {
        try await rows(of: period, on: db)?.map { ($0.unit, $0.total) } ?? []
    }

    /// The kept row's identity and time alone, not its 650 KB of JSON.
    static func keptVersion(of period: Period, level: Unit.Kind = .branch, on db: any Database) async throws
        -> StoredResults.Version?
    {
        try await db.rows(
            StoredResults.self,
            """
            SELECT id, computed_at FROM \(ident: StoredResults.schema) WHERE period_id = \(bind: try period.requireID())
            AND level = \(bind: level.rawValue)
            """
        ).first.map(StoredResults.Version.init)
    }

    /// A published level's rows as decoded, once per version and process, not for every reader of the board. Only
    /// levels of a few thousand rows are held (the branches'; the groups' of a city).
    static let decoded = StoredResults.Versions<[Row]>()
    static let indexed = StoredResults.Versions<[String: Row]>()
    static let heldRows = 6_000

    /// What `versions` holds for a level's kept rows: `derive`d from them at the first reading of each version, when
    /// `holding` allows; otherwise derived for this reader alone. Only the kept row's id and time are read to know
    /// that what is held is still what is kept.
    static func held<Value>(
        _ versions: StoredResults.Versions<Value>, of period: Period, level: Unit.Kind = .branch,
        on db: any Database, holding: (Value) -> Bool = { _ in true },
        _ derive: (StoredResults) throws -> Value
    ) async throws -> Value? {
        if let kept = try await keptVersion(of: period, level: level, on: db), let value = versions.value(of: kept) {
            return value
        }
        guard let stored = try await stored(of: period, level: level, on: db) else { return nil }
        let value = try derive(stored)
        if holding(value) { versions.keep(value, of: try StoredResults.Version(stored)) }
        return value
    }

    /// The row kept for a level, as JSON and gzip, which the API sends unread: `GET …/results` of a thousand
    /// branches is one row fetched. A period published before results were stored has its rows computed and kept
    /// at the first reading.
    static func stored(of period: Period, level: Unit.Kind = .branch, on db: any Database) async throws
        -> StoredResults?
    {
        if level == .branch, period.publishedOn == nil { return nil }
        if let stored = try await StoredResults.query(on: db).filter(\.$period.$id == period.requireID())
            .filter(\.$level == level).first()
        {
            return stored
        }
        return try await db.writeTransaction { db in try await store(period, level: level, on: db) }
    }

    /// Computes a level's rows from its sheets and keeps them, replacing what was kept: the branches' as one row
    /// (`StoredResults`), a lower level's a row per sheet (`FiledResults`). Called inside the transaction of
    /// whatever changed them: publication, a generated bureau.
    @discardableResult
    static func store(_ period: Period, level: Unit.Kind, on db: any Database) async throws -> StoredResults? {
        if level != .branch {
            try await FiledResults.replace(
                compute(period, level: level, on: db) ?? [], of: period, level: level, on: db)
            return nil
        }
        var rows = try await compute(period, level: level, on: db)
        let stored = try await StoredResults.query(on: db).filter(\.$period.$id == period.requireID())
            .filter(\.$level == level).first()
        // A published quarter keeps the names it was published under, whatever a unit is called since.
        if let stored, let kept = try? stored.decoded() {
            let names = Dictionary(kept.map { ($0.unit, $0.name) }, uniquingKeysWith: { a, _ in a })
            for index in rows?.indices ?? [].indices {
                rows![index].name = names[rows![index].unit] ?? rows![index].name
            }
        }
        guard let rows else {
            try await stored?.delete(on: db)
            return nil
        }
        let row = stored ?? StoredResults()
        row.$period.id = try period.requireID()
        row.level = level
        try row.keep(rows)
        try await row.save(on: db)
        return row
    }

    /// One sheet filed (备案), or reopened by an upheld objection: a group's or member's changes its own row
    /// (`FiledResults`, ranked when read); a branch's its row in the branches' kept rows, ranked again by total. A
    /// branch level with nothing kept yet is computed whole, once.
    static func file(_ sheet: Sheet, in period: Period, on db: any Database) async throws {
        if sheet.level != .branch {
            try await FiledResults.file(
                try await filedRow(of: sheet, in: period, name: nil, on: db), unit: sheet.unitCode, of: period,
                level: sheet.level, on: db)
            return
        }
        guard
            let stored = try await StoredResults.query(on: db).filter(\.$period.$id == period.requireID())
                .filter(\.$level == sheet.level).first(),
            let kept = try? stored.decoded(),
            sheet.level != .branch || period.publishedOn != nil
        else {
            try await store(period, level: sheet.level, on: db)
            return
        }
        let earlier = kept.first { $0.unit == sheet.unitCode }
        var rows = kept.filter { $0.unit != sheet.unitCode }
        if let row = try await filedRow(of: sheet, in: period, name: earlier?.name, on: db) { rows.append(row) }
        try stored.keep(Standings.ranked(rows, total: \.total, unit: \.unit).map { $1.ranked($0) })
        try await stored.save(on: db)
    }

    /// A published or filed sheet's row, unranked; nil when it has none (reopened before it was ever filed). A
    /// published quarter keeps the name it was published under (`name`, when it had a row).
    private static func filedRow(of sheet: Sheet, in period: Period, name: String?, on db: any Database) async throws
        -> Row?
    {
        guard sheet.publishedOn != nil, let report = try await Sheets.publishedReport(of: sheet, on: db) else {
            return nil
        }
        let rubric = try await RubricStore.rubric(id: sheet.$rubric.id, on: db)
        let struck = try await Vetoes.struck(in: period.year, on: db)
        var name = name
        if name == nil {
            name = try await FiledResult.query(on: db).filter(\.$period.$id == period.requireID())
                .filter(\.$unitCode == sheet.unitCode).first()?.name
        }
        if name == nil { name = try await Unit.names(of: [sheet.unitCode], on: db)[sheet.unitCode] }
        return row(
            report, rank: 0, name: name ?? sheet.unitCode, vetoed: struck[sheet.unitCode] != nil,
            reviewing: sheet.state != .published,
            titles: Dictionary(rubric.categories.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a }))
    }

    /// A veto recorded on `unit` or withdrawn changes only the 取消评比资格 mark of the units on its chain (the
    /// rank is by total, veto or not): the rows kept for the year's periods are marked again where they show one of
    /// those units, at those units' levels only, never computed again from 50,000 sheets.
    static func markVetoes(onChainOf unit: String, in year: Int, on db: any Database) async throws {
        // The unit, those above it and, for a branch, its groups: whom a veto recorded on it may strike.
        var chain = Set(try await Access.unitAndAncestors(unit, on: db))
        chain.formUnion(
            try await Unit.groups(of: unit, on: db).map(\.code))
        let levels = try await Unit.query(on: db).filter(\.$code ~~ chain).all().map(\.kind)
        let periods = try await Period.query(on: db).filter(\.$year == year).all().map { try $0.requireID() }
        guard !periods.isEmpty, !levels.isEmpty else { return }
        let struck = try await Vetoes.struck(in: year, on: db)
        try await amend(
            StoredResults.query(on: db).filter(\.$period.$id ~~ periods).filter(\.$level ~~ levels).all(), on: db
        ) { row in
            guard chain.contains(row.unit) else { return }
            row.vetoed = struck[row.unit] != nil
        }
        try await FiledResults.amend(chain, periods: periods, on: db) { row in row.vetoed = struck[row.unit] != nil }
    }

    /// A unit's new name in the rows already kept for its level.
    static func rename(_ unit: Unit, on db: any Database) async throws {
        try await amend(StoredResults.query(on: db).filter(\.$level == unit.kind).all(), on: db) { row in
            if row.unit == unit.code { row.name = unit.name }
        }
        try await FiledResults.amend([unit.code], on: db) { row in row.name = unit.name }
    }

    /// Changes rows already kept in place (a mark, a name: never the rank), keeping again only those that changed.
    private static func amend(_ kept: [StoredResults], on db: any Database, _ change: (inout Row) -> Void) async throws
    {
        for stored in kept {
            let before = try stored.decoded()
            var rows = before
            for index in rows.indices { change(&rows[index]) }
            guard rows != before else { continue }
            try stored.keep(rows)
            try await stored.save(on: db)
        }
    }

    /// The rows as published: a sheet re-reviewed after an upheld objection keeps its published row, marked 复核中.
    private static func compute(_ period: Period, level: Unit.Kind, on db: any Database) async throws -> [Row]? {
        if level == .branch, period.publishedOn == nil { return nil }
        let sheets = try await Sheet.query(on: db).filter(\.$period.$id == period.requireID())
            .filter(\.$level == level).filter(\.$publishedOn != nil).all()
        if level != .branch, sheets.isEmpty { return nil }
        let names = try await Unit.names(of: sheets.map(\.unitCode), on: db)
        var rubrics: [UUID: Rubric] = [:]
        var published: [(report: UnitReport, reviewing: Bool)] = []
        for sheet in sheets {
            let id = sheet.$rubric.id
            if rubrics[id] == nil { rubrics[id] = try await RubricStore.rubric(id: id, on: db) }
            guard let report = try await Sheets.publishedReport(of: sheet, on: db) else { continue }
            published.append((report, sheet.state != .published))
        }
        // 取消评比资格 comes from the vetoes in force, not from the published snapshot: recording or withdrawing a
        // veto stores the rows again.
        let struck = try await Vetoes.struck(in: period.year, on: db)
        let titles = Dictionary(
            rubrics.values.flatMap { $0.categories.map { ($0.id, $0.title) } }, uniquingKeysWith: { a, _ in a })
        return Standings.ranked(published, total: \.report.total, unit: \.report.unit).map { rank, item in
            row(
                item.report, rank: rank, name: names[item.report.unit] ?? item.report.unit,
                vetoed: struck[item.report.unit] != nil, reviewing: item.reviewing, titles: titles)
        }
    }

    /// One sheet's row as the board shows it.
    private static func row(
        _ report: UnitReport, rank: Int, name: String, vetoed: Bool, reviewing: Bool, titles: [String: String]
    ) -> Row {
        Row(
            unit: report.unit, name: name, total: report.total, bonus: report.bonus, grade: report.grade,
            gradeLabel: report.gradeLabel, rank: rank, vetoed: vetoed, reviewing: reviewing,
            categories: report.categories.map {
                Row.Category(id: $0.id, title: titles[$0.id] ?? $0.id, score: $0.score, max: $0.max)
            })
    }

    /// The table people export: one row per unit, the six categories as columns.
    static func table(_ rows: [Row], period: Period) -> ExportTable {
        let categories = rows.first?.categories ?? []
        // Names first, as the office reads the sheet; the code last, for whoever joins it to another table.
        var header = ["名次", "组织名称", "考核总分", "等级", "加分（不计入总分）"]
        header += categories.map { "\($0.title)（\($0.max)）" } + ["组织代码"]
        let label = Quarter(code: period.code)?.label ?? period.code
        return ExportTable(
            sheetName: "\(period.code) 考核结果", header: header,
            rows: rows.map { row in
                [
                    .number(Decimal(row.rank)), .text(row.name), .number(row.total),
                    .text(row.vetoed ? "\(row.gradeLabel)（取消评比资格）" : row.gradeLabel), .number(row.bonus),
                ]
                    + row.categories.map { .number($0.score) } + [.text(row.unit)]
            },
            title: "\(label)目标管理考核结果" + (period.publishedOn.map { "（\($0) 公布）" } ?? ""))
    }
}

/// What a results route reads of its request, for the API and the pages alike.
extension Results {
    /// `results.csv` and `.xlsx`, for the API and the page alike.
    @Sendable static func csv(req: Request) async throws -> Response {
        let (period, rows) = try await requestedRows(req)
        return Download.csv(table(rows, period: period), named: "\(period.code)考核结果")
    }

    @Sendable static func xlsx(req: Request) async throws -> Response {
        let (period, rows) = try await requestedRows(req)
        return try Download.xlsx(table(rows, period: period), named: "\(period.code)考核结果")
    }

    /// `?level=`: branch when left out; 422 naming `level` otherwise.
    static func level(_ req: Request) throws -> Unit.Kind {
        guard let name = req.query[String.self, at: "level"] else { return .branch }
        guard let kind = Unit.Kind(rawValue: name), kind != .general else {
            throw ValidationProblem(field: "level", rule: "应为 branch、group 或 member")
        }
        return kind
    }

    /// The published rows of a level the caller may read, shared by the exports of the API and of the pages: every
    /// branch's (党团园地 is public to the bureau), and of the filed groups and members those `Policy` allows.
    static func requestedRows(_ req: Request) async throws -> (period: Period, rows: [Results.Row]) {
        let period = try await SheetLookup.period(req)
        let level = try level(req)
        guard let rows = try await rows(of: period, level: level, on: req.db) else { throw notPublished(period) }
        return (period, try await readable(rows, level: level, on: req))
    }

    static func notPublished(_ period: Period) -> Abort {
        Abort(.notFound, reason: "\(period.code) 的考核结果尚未公布 (not published yet)")
    }

    static func readable(_ rows: [Results.Row], level: Unit.Kind, on req: Request) async throws -> [Results.Row] {
        guard level != .branch else { return rows }
        let grants = try await Access.roles(of: try req.auth.require(User.self), on: req.db)
        let parents = try await Access.parents(on: req.db)
        return rows.filter { Policy.mayReadFiled($0.unit, grants: grants, parents: parents) }
    }
}
