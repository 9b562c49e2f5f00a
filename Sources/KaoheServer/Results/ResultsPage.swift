import Fluent
import KaoheCore
import Vapor

/// 党团园地: the published ranking with grades as badges, the bonus apart, a radar per unit, and exports.
struct ResultsPage: Encodable {
    struct Line: Encodable {
        let rank: Int
        let unit: String
        let name: String
        let total: String
        let bonus: String
        let grade: String
        let gradeLabel: String
        let vetoed: Bool
        /// 复核中: shown as published until the re-reviewed result is published.
        let reviewing: Bool
        /// The unit's radar, an `<svg>` element (`RadarChart`).
        let radar: String
        let sheetLink: String
    }

    struct Waiting: Encodable {
        let unit: String
        let name: String
        let state: String
        let approved: Bool
    }

    let chrome: PageChrome
    let period: String
    let periodLabel: String
    let published: Bool
    let publishedOn: String?
    /// The 公示's 落款: the issuing organisation (`Letterhead`) and the day written 二〇二六年十月二十日.
    let issuer: String
    let publishedWritten: String?
    let objectionDeadline: String?
    let level: String
    let levelLabel: String
    let lines: [Line]
    let waiting: [Waiting]
    let mayPublish: Bool
    /// Every sheet not yet published is approved again: the organizer may publish the re-reviewed results.
    let mayRepublish: Bool
    /// The 扣奖 page is the general branch's and the secretaries' (办法 七(一)).
    let mayReadPenalties: Bool
    /// Each branch's totals across the year's published quarters (branch level only).
    let trend: TrendChart?
    /// The year's awards as decided (先进党支部：机关第三党支部), with the certificates' link.
    let awards: [String]
    let year: Int
    let error: String?
    /// What the last step did (公布, 公布复核结果).
    let notice: String?
    /// A board of a thousand branches opens at its first page; `?q=` finds a unit by name or code.
    let board: Board

    struct Board: Encodable {
        static let size = 50

        let search: String
        let shown: Int
        let total: Int
        let page: Int
        let pages: Int
        let previousLink: String?
        let nextLink: String?

        /// The rows of `?page=` among those `?q=` finds, and the links to the pages beside it.
        static func slice(_ rows: [Results.Row], req: Request, base: String) -> (rows: [Results.Row], board: Board) {
            let search = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
            return slice(
                search.isEmpty ? rows : rows.filter { $0.name.contains(search) || $0.unit.contains(search) },
                search: search, req: req, base: base)
        }

        /// The items of `?page=` among those already found by `search`.
        static func slice<Item>(_ found: [Item], search: String, req: Request, base: String) -> (
            rows: [Item], board: Board
        ) {
            let (range, board) = window(found.count, search: search, req: req, base: base)
            return (Array(found[range]), board)
        }

        /// Which of `found` items `?page=` shows, and the links to the pages beside it: for a list the database pages.
        static func window(_ found: Int, search: String, req: Request, base: String) -> (
            range: Range<Int>, board: Board
        ) {
            let pages = max(1, (found + size - 1) / size)
            let page = min(max(1, req.query[Int.self, at: "page"] ?? 1), pages)
            let range = min(found, (page - 1) * size)..<min(found, page * size)
            func link(_ number: Int) -> String? {
                guard (1...pages).contains(number), number != page else { return nil }
                var query = base.contains("?") ? "&" : "?"
                query += "page=\(number)"
                if !search.isEmpty {
                    query += "&q=" + (search.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                }
                return base + query
            }
            return (
                range,
                Board(
                    search: search, shown: range.count, total: found, page: page, pages: pages,
                    previousLink: link(page - 1), nextLink: link(page + 1))
            )
        }
    }

    static func query(
        _ period: Period, level: Unit.Kind, on req: Request, error: String? = nil, notice: String? = nil
    ) async throws
        -> ResultsPage
    {
        let user = try req.auth.require(User.self)
        let base = SiteURL.results(.init(period.code)).path(query: ["level": level == .branch ? nil : level.rawValue])
        let rows: [Results.Row]
        let board: Board
        var filed: [Results.Row] = []
        let anyFiled: Bool
        if level == .branch {
            filed = try await Results.rows(of: period, level: level, on: req.db) ?? []
            (rows, board) = Board.slice(filed, req: req, base: base)
            anyFiled = !filed.isEmpty
        } else {
            // A filed level's page reads its fifty rows, never the level whole.
            let search = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
            let scope = try await FiledResults.scope(
                of: try await Access.roles(of: user, on: req.db), on: req.db)
            let found = try await FiledResults.count(of: period, level: level, scope: scope, search: search, on: req.db)
            let window = Board.window(found, search: search, req: req, base: base)
            board = window.board
            rows = try await FiledResults.page(
                of: period, level: level, scope: scope, search: search, limit: window.range.count,
                offset: window.range.lowerBound, on: req.db
            )
            anyFiled = try await FiledResults.count(of: period, level: level, scope: nil, on: req.db) > 0
        }
        let roles = try await Access.roles(of: user, on: req.db)
        let mayPublish = level == .branch && Policy.holdsBureauRole(roles, Policy.publishers)
        var waiting: [Waiting] = []
        if mayPublish {
            // Only the sheets not yet published, and only their code and state: a thousand published sheets'
            // score snapshots are not read to find that none waits.
            let sheets = try await Sheet.query(on: req.db).filter(\.$period.$id == period.requireID())
                // The waiting states named, not "not published", so that the index (period, state, level) finds them.
                .filter(\.$level == Unit.Kind.branch).filter(
                    \.$state ~~ SheetState.allCases.filter { $0 != .published }
                )
                .field(\.$id).field(\.$unitCode).field(\.$state).sort(\.$unitCode).all()
            let names = try await Unit.names(of: sheets.map(\.unitCode), on: req.db)
            waiting = sheets.map {
                Waiting(
                    unit: $0.unitCode, name: names[$0.unitCode] ?? $0.unitCode,
                    state: $0.state.label,
                    approved: $0.state == .approved)
            }
        }
        let rubric = try await RubricStore.rubric(id: period.$branchRubric.id, on: req.db)
        let schedule = rubric.schedule
        var trend: TrendChart?
        if level == .branch, !rows.isEmpty {
            var totals: [String: [Int: Decimal]] = [:]
            let shown = Set(rows.map(\.unit))
            for row in filed where shown.contains(row.unit) {
                totals[row.unit, default: [:]][period.quarter] = row.total
            }
            // The other published quarters of the year: only their totals are decoded.
            for other in try await Period.query(on: req.db).filter(\.$year == period.year).filter(\.$publishedOn != nil)
                .filter(\.$id != period.requireID()).all()
            {
                for row in try await Results.totals(of: other, on: req.db) where shown.contains(row.unit) {
                    totals[row.unit, default: [:]][other.quarter] = row.total
                }
            }
            trend = TrendChart(
                year: period.year, totals: rows.map { row in (row.name, (1...4).map { totals[row.unit]?[$0] }) },
                maxScore: rubric.maxScore, floor: rubric.grades.dropLast().last?.min ?? 0)
        }
        let decisions = try await AnnualDecision.query(on: req.db).filter(\.$year == period.year).all()
        let awarded = try await Unit.names(of: decisions.flatMap(\.awardedUnits), on: req.db)
        let awards = Selection.levels.compactMap { kind -> String? in
            guard let decision = decisions.first(where: { $0.level == kind }) else { return nil }
            return "\(Selection.title(of: kind))："
                + decision.awardedUnits.map { awarded[$0] ?? $0 }.joined(separator: "、")
        }
        // Every row has the same categories: each axis label is cut from its title once for the page.
        var axes: [String: String] = [:]
        func axis(_ title: String) -> String {
            if let known = axes[title] { return known }
            let label = short(title)
            axes[title] = label
            return label
        }
        return ResultsPage(
            chrome: try await PageChrome.make("\(period.code) 考核结果", req),
            period: period.code,
            periodLabel: Quarter(code: period.code)?.label ?? period.code,
            published: level == .branch ? period.publishedOn != nil : anyFiled,
            publishedOn: period.publishedOn,
            issuer: try await Letterhead.current(on: req.db).issuer,
            publishedWritten: period.publishedOn.flatMap(CalendarDay.init)?.written,
            objectionDeadline: period.publishedOn.flatMap(CalendarDay.init).map {
                schedule.objectionDeadline(publishedOn: $0).description
            },
            level: level.rawValue,
            levelLabel: level == .branch ? "党支部" : level == .group ? "党小组（报党总支备案）" : "党员（报党总支备案）",
            lines: rows.map { row in
                Line(
                    rank: row.rank, unit: row.unit, name: row.name, total: "\(row.total)", bonus: "\(row.bonus)",
                    grade: row.grade, gradeLabel: row.gradeLabel, vetoed: row.vetoed, reviewing: row.reviewing,
                    radar: RadarChart.svg(
                        name: row.name, grade: row.grade, labels: row.categories.map { axis($0.title) },
                        shares: row.categories.map { $0.max > 0 ? Self.double($0.score) / Self.double($0.max) : 0 }),
                    sheetLink: SiteURL.sheet(.init(period.code), unit: .init(row.unit)).path)
            },
            waiting: waiting, mayPublish: mayPublish,
            mayRepublish: period.publishedOn != nil && !waiting.isEmpty && waiting.allSatisfy(\.approved),
            mayReadPenalties: Policy.mayReadPenalties(roles),
            trend: trend, awards: awards, year: period.year,
            error: error, notice: notice, board: board)
    }

    /// A share for drawing only: the scores stay `Decimal`, and a chart needs no exact division.
    static func double(_ value: Decimal) -> Double { NSDecimalNumber(decimal: value).doubleValue }

    /// 组织健全，领导班子好 → 组织健全: the axis label is the category's first phrase.
    static func short(_ title: String) -> String {
        String(title.split(whereSeparator: { "，,、".contains($0) }).first ?? Substring(title))
    }
}
