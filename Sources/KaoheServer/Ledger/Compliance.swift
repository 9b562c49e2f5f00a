import Fluent
import KaoheCore
import SQLKit
import Vapor

/// The organizer's compliance view (api.md `GET /api/v1/compliance?period=`): for every branch and group with a
/// sheet in the quarter, each counted requirement of its rubric over its span, as recorded up to the quarter's end
/// (or today, while it runs) — short in red once a window has ended, behind schedule in amber while it runs.
enum Compliance {
    /// One requirement over one window; a weekly requirement's weeks of the quarter are summed into one line.
    struct Line: Content, Equatable {
        let activity: String
        let label: String
        let rule: String
        let span: String
        /// For a branch's requirement counted per group: the group.
        let group: String?
        let from: String
        let to: String
        let needed: Int
        let recorded: Int
        let short: Int
        let ended: Bool
        let behind: Bool
        /// What the quarter's sheet deducts for it (0 while the window runs, or in 部分记账).
        let missing: Int
    }

    struct UnitLines: Content, Equatable {
        let unit: String
        let name: String
        let kind: String
        /// 部分记账: the quarter began before the unit's ledger counts.
        let partial: Bool
        let requirements: [Line]
    }

    /// A unit with a sheet in the quarter, as the view lists it before its ledger is read.
    struct Listed: Sendable {
        let unit: Unit
        let sheet: UUID
        let rubric: UUID
    }

    /// Which of the quarter's units are asked for: one unit (`?unit=`), one branch with its groups (`?branch=`),
    /// those whose name or code holds `search` (`?q=`); every one when all are empty.
    struct Selection: Sendable {
        var unit: String? = nil
        var branch: String? = nil
        var search: String = ""

        var asksNothing: Bool { unit == nil && branch == nil && search.isEmpty }
    }

    /// Every branch and group with a sheet in `quarter` that `selection` admits, in the tree's order: each branch by
    /// its sort order, its groups right after it. Nothing of their ledgers is read yet, so a page of fifty reads
    /// fifty books, not the bureau's. One narrow statement ordered by the database: decoding 6,000 sheets and units
    /// as whole models and sorting them here took 40 % of a 50-unit request at 1,000 branches.
    /// `held`: the quarter's listing when the caller has it already.
    static func listed(
        in quarter: Quarter, _ selection: Selection = .init(), levels: [Unit.Kind] = [.branch, .group],
        limit: Int? = nil, offset: Int = 0, held: Held? = nil, on db: any Database
    ) async throws -> [Listed] {
        let rows: [ListedRow]
        if selection.asksNothing {
            // Nothing asked of the units: a window of the quarter's listing held for the bureau's epoch.
            let listing = try await self.held(held, of: quarter, on: db).rows
            // Only a window of it is copied: the whole is 6,000 rows at 1,000 branches.
            let whole = Set(levels) == [.branch, .group] ? listing : listing.filter { levels.contains($0.kind) }
            let from = min(max(offset, 0), whole.count)
            rows = Array(whole[from..<min(whole.count, from + (limit ?? whole.count))])
        } else {
            rows = try await ordered(
                sheets(in: quarter, selection, levels: levels, on: db), limit: limit, offset: offset, on: db)
        }
        return rows.map(\.listed)
    }

    /// How many units `listed` would give.
    static func count(
        in quarter: Quarter, _ selection: Selection = .init(), held: Held? = nil, on db: any Database
    ) async throws -> Int {
        struct Counted: Decodable { let count: Int }
        if selection.asksNothing {
            return try await self.held(held, of: quarter, on: db).rows.count
        }
        return try await db.sql.raw(
            "SELECT COUNT(*) AS count \(try await sheets(in: quarter, selection, levels: [.branch, .group], on: db))"
        ).first(decoding: Counted.self)?.count ?? 0
    }

    /// The rows of `from` (`sheets`) in the tree's order, cut to the window by the database.
    static func ordered(_ from: SQLQueryString, limit: Int?, offset: Int, on db: any Database) async throws
        -> [ListedRow]
    {
        let branch = Unit.Kind.branch.rawValue
        // SQLite takes no OFFSET without a LIMIT.
        return try await db.sql.raw(
            """
            SELECT u.code, u.name, u.kind, u.parent_code, u.sort_order, u.counted_from, a.id AS sheet,
              a.rubric_version_id
            \(from)
            ORDER BY CASE WHEN u.kind = \(bind: branch) THEN u.sort_order ELSE COALESCE(p.sort_order, 2147483647) END,
            CASE WHEN u.kind = \(bind: branch) THEN u.code ELSE COALESCE(u.parent_code, '') END,
            CASE WHEN u.kind = \(bind: branch) THEN 0 ELSE 1 END, u.sort_order, u.code
            LIMIT \(bind: limit ?? Int(Int32.max)) OFFSET \(bind: offset)
            """
        ).all(decoding: ListedRow.self)
    }

    /// `FROM … WHERE …` of the quarter's sheets at `levels` with their units (`u`) and parents (`p`), as `selection`
    /// admits; 404 for a quarter never opened.
    static func sheets(
        in quarter: Quarter, _ selection: Selection, levels: [Unit.Kind], on db: any Database
    ) async throws -> SQLQueryString {
        let period = try await period(of: quarter, on: db)
        var query: SQLQueryString = """
            FROM \(ident: Sheet.schema) a JOIN \(ident: Unit.schema) u ON u.code = a.unit_code
            LEFT JOIN \(ident: Unit.schema) p ON p.code = u.parent_code
            WHERE a.period_id = \(bind: try period.requireID())
            AND a.level IN (\(SQLList(levels.map { SQLBind($0.rawValue) })))
            """
        if let unit = selection.unit {
            let clause: SQLQueryString = " AND u.code = \(bind: unit)"
            query = query + clause
        }
        if let branch = selection.branch {
            let clause: SQLQueryString = " AND (u.code = \(bind: branch) OR u.parent_code = \(bind: branch))"
            query = query + clause
        }
        if !selection.search.isEmpty {
            let (name, code) = (
                db.finds(selection.search, in: "u.name"), db.finds(selection.search.lowercased(), in: "u.code")
            )
            let clause: SQLQueryString = " AND (\(name) OR \(code))"
            query = query + clause
        }
        return query
    }

    /// The quarter's period; 404 for a quarter never opened.
    static func period(of quarter: Quarter, on db: any Database) async throws -> Period {
        guard
            let period = try await Period.query(on: db).filter(\.$year == quarter.year).filter(
                \.$quarter == quarter.quarter
            ).first()
        else {
            throw Abort(.notFound, reason: "考核期 \(quarter.code) 不存在")
        }
        return period
    }

    /// The ledger against the rubric of each listed unit, read on `today`, as the API writes each unit's part after
    /// its name (`KeptSheetReading.Listing.text`): the listings its sheet keeps for the day, and only the books of
    /// units without a current one read and counted, then kept.
    static func listings(
        of listed: some Collection<Listed>, quarter: Quarter, today: CalendarDay, on db: any Database
    ) async throws -> [UUID: String] {
        try await read(listed, quarter: quarter, today: today, on: db).texts
    }

    /// `listings`, and how many of them were counted rather than kept.
    static func read(
        _ listed: some Collection<Listed>, quarter: Quarter, today: CalendarDay, on db: any Database
    ) async throws -> (texts: [UUID: String], counted: Int) {
        let asOf = min(today, quarter.lastDay)
        let lookup = try await KeptSheetReading.lookup(listed.map(\.sheet), asOf: asOf, parts: .listing, on: db)
        var texts = lookup.listings
        let unread = listed.filter { texts[$0.sheet] == nil }
        let books = try await LedgerBook.read(for: unread.map(\.unit), year: quarter.year, on: db)
        var counted: [KeptSheetReading.Kept] = []
        for item in unread {
            guard let book = books[item.unit.code] else { continue }
            let rubric = try await RubricStore.rubric(id: item.rubric, on: db)
            let reading = try await KeptSheetReading.count(
                item.unit.code, level: item.unit.kind, book: book, quarter: quarter, rubric: rubric, today: today,
                facts: false, on: db)
            let text = reading.listing.text
            counted.append((item.sheet, item.rubric, reading.found, text))
            texts[item.sheet] = text
        }
        await KeptSheetReading.keep(counted, asOf: asOf, at: lookup, on: db)
        return (texts, counted.count)
    }

    /// The listed units' view, decoded: the page and the exports read its lines.
    static func document(
        of listed: some Collection<Listed>, quarter: Quarter, today: CalendarDay, on db: any Database
    ) async throws -> [UnitLines] {
        let texts = try await listings(of: listed, quarter: quarter, today: today, on: db)
        return listed.compactMap { item in
            guard let found = texts[item.sheet].flatMap(KeptSheetReading.Listing.init(text:)) else { return nil }
            return UnitLines(
                unit: item.unit.code, name: item.unit.name, kind: item.unit.kind.rawValue, partial: found.partial,
                requirements: found.requirements)
        }
    }

    /// The listed units' view as the API's JSON (an array of `UnitLines`), written from the kept texts: decoding the
    /// whole bureau's 6,000 readings and encoding them again was seven tenths of its request.
    static func json(
        of listed: some Collection<Listed>, quarter: Quarter, today: CalendarDay, on db: any Database
    ) async throws -> ByteBuffer {
        let texts = try await listings(of: listed, quarter: quarter, today: today, on: db)
        var body = ByteBuffer()
        body.reserveCapacity(texts.values.reduce(2) { $0 + $1.utf8.count + 100 })
        body.writeStaticString("[")
        var first = true
        for item in listed {
            guard let text = texts[item.sheet], text.hasPrefix("{"), text.count > 2 else { continue }
            if !first { body.writeStaticString(",") }
            first = false
            body.writeString(
                "{\"unit\":\(JSONText.string(item.unit.code)),\"name\":\(JSONText.string(item.unit.name)),")
            body.writeString("\"kind\":\(JSONText.string(item.unit.kind.rawValue)),")
            body.writeSubstring(text.dropFirst())
        }
        body.writeStaticString("]")
        return body
    }

    /// Every branch and group with a sheet in `quarter`, in the tree's order.
    static func document(for quarter: Quarter, today: CalendarDay, on db: any Database) async throws -> [UnitLines] {
        try await document(of: listed(in: quarter, on: db), quarter: quarter, today: today, on: db)
    }

    /// The book's lines as the API gives them, each week of a weekly requirement summed into one line.
    static func lines(_ book: [LedgerBook.Line]) -> [Line] {
        var lines: [Line] = []
        var weeks: [String: [LedgerBook.Line]] = [:]
        var order: [String] = []
        for line in book {
            let tally = line.tally
            if tally.window.span == .week {
                let key = "\(tally.requirement.activity.rawValue)|\(tally.requirement.rule)|\(line.group?.code ?? "")"
                if weeks[key] == nil { order.append(key) }
                weeks[key, default: []].append(line)
                continue
            }
            lines.append(
                Line(
                    activity: tally.requirement.activity.rawValue, label: tally.requirement.activity.label,
                    rule: tally.requirement.rule, span: tally.window.span.rawValue, group: line.group?.name,
                    from: tally.window.first.description, to: tally.window.last.description, needed: tally.needed,
                    recorded: tally.recorded, short: tally.short, ended: tally.ended, behind: tally.behind,
                    missing: tally.missing))
        }
        for key in order {
            guard let all = weeks[key], let first = all.first?.tally, let last = all.last?.tally else { continue }
            let begun = all.filter { $0.tally.expected > 0 || $0.tally.ended }
            let needed = begun.map(\.tally.needed).reduce(0, +)
            let kept = begun.map { min($0.tally.recorded, $0.tally.needed) }.reduce(0, +)
            lines.append(
                Line(
                    activity: first.requirement.activity.rawValue, label: first.requirement.activity.label,
                    rule: first.requirement.rule, span: LedgerSpan.week.rawValue, group: all.first?.group?.name,
                    from: first.window.first.description, to: last.window.last.description, needed: needed,
                    recorded: kept, short: max(0, needed - kept), ended: last.ended,
                    behind: all.contains { $0.tally.behind }, missing: all.map(\.tally.missing).reduce(0, +)))
        }
        return lines
    }

    /// The view as a sheet for Excel/WPS: one row per unit and requirement window.
    static func table(_ document: [UnitLines], quarter: Quarter) -> ExportTable {
        ExportTable(sheetName: "\(quarter.code)台账对照", header: header, rows: rows(document), title: title(quarter))
    }

    /// The exports' title row: the quarter, and the day the counts are as of.
    static func title(_ quarter: Quarter, today: CalendarDay = BureauCalendar.today()) -> String {
        "\(quarter.label)活动台账对照（截至 \(min(today, quarter.lastDay))）"
    }

    static let header = ["组织", "党小组", "活动", "细则", "时段", "起", "止", "应", "已", "缺", "状态", "考核表扣分次数"]

    /// The export's rows of these units.
    static func rows(_ document: [UnitLines]) -> [[ExportCell]] {
        let spans = Dictionary(uniqueKeysWithValues: LedgerSpan.allCases.map { ($0.rawValue, $0.label) })
        return document.flatMap { unit in
            unit.requirements.map { line in
                let state = line.ended ? (line.short > 0 ? "不足" : "达到") : (line.behind ? "落后" : "进行中")
                return [
                    .text(unit.name), line.group.map(ExportCell.text) ?? .empty, .text(line.label),
                    .text(line.rule),
                    .text(spans[line.span] ?? line.span),
                    CalendarDay(line.from).map(ExportCell.date) ?? .text(line.from),
                    CalendarDay(line.to).map(ExportCell.date) ?? .text(line.to),
                    .number(Decimal(line.needed)), .number(Decimal(line.recorded)), .number(Decimal(line.short)),
                    .text(unit.partial ? "部分记账" : state), .number(Decimal(line.missing)),
                ]
            }
        }
    }
}

extension Compliance {
    /// The general branch's roles only (403); `?period=` a quarter (422 naming `period`), this quarter when left out.
    static func requestedQuarter(_ req: Request) async throws -> Quarter {
        let user = try req.auth.require(User.self)
        try await Policy.requireGeneralBranch(
            user, on: req.db, "台账对照由党总支查看 (the general branch's roles read the compliance view)")
        if let raw = req.query[String.self, at: "period"], !raw.isEmpty {
            guard let chosen = Quarter(code: raw) else {
                throw ValidationProblem(field: "period", rule: "考核期应写作 2026Q3 (a quarter such as 2026Q3)")
            }
            return chosen
        }
        return try await latestPeriod(on: req.db) ?? Quarter(of: BureauCalendar.today())!
    }

    /// The quarter asked for and its whole view (the exports).
    static func requested(_ req: Request) async throws -> (quarter: Quarter, document: [Compliance.UnitLines]) {
        let quarter = try await requestedQuarter(req)
        return (quarter, try await document(for: quarter, today: BureauCalendar.today(), on: req.db))
    }

    /// The latest quarter opened, which the view shows unless told otherwise.
    static func latestPeriod(on db: any Database) async throws -> Quarter? {
        let period = try await Period.query(on: db).sort(\.$year, .descending).sort(\.$quarter, .descending).first()
        return period.flatMap { Quarter(year: $0.year, quarter: $0.quarter) }
    }

    /// `compliance.csv` and `.xlsx`, for the API and the page alike.
    /// The whole bureau's CSV, written fifty units at a time as their ledgers are read: its memory is a page's.
    @Sendable static func csv(req: Request) async throws -> Response {
        let quarter = try await requestedQuarter(req)
        let listed = try await listed(in: quarter, on: req.db)
        let (db, today) = (req.db, BureauCalendar.today())
        return Download.csvStream(header: header, title: title(quarter), named: "\(quarter.code)台账对照") { emit in
            for batch in listed.chunked(into: 50) {
                try await emit(rows(try await document(of: batch, quarter: quarter, today: today, on: db)))
            }
        }
    }

    /// The whole bureau's workbook, its rows spooled fifty units at a time (`XLSXStream`).
    @Sendable static func xlsx(req: Request) async throws -> Response {
        let quarter = try await requestedQuarter(req)
        let listed = try await listed(in: quarter, on: req.db)
        let (db, today) = (req.db, BureauCalendar.today())
        return XLSXStream.response(
            sheetName: table([], quarter: quarter).sheetName, header: header, title: title(quarter),
            named: "\(quarter.code)台账对照"
        ) { emit in
            for batch in listed.chunked(into: 50) {
                try await emit(rows(try await document(of: batch, quarter: quarter, today: today, on: db)))
            }
        }
    }
}
