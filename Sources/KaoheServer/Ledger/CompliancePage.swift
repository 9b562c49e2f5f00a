import KaoheCore
import Vapor

/// 台账对照: the organizer's view of every branch and group, the ledger against its rubric for one quarter —
/// what is short (red), what is behind schedule (amber), how much is met — each unit linking to its ledger.
struct CompliancePage: Encodable {
    let chrome: PageChrome
    let period: String
    let periodLabel: String
    let year: Int
    let periods: [SelectOption]
    /// The table's rows, written in Swift (`rows(_:year:)`): fifty rows of chips were most of the page's time in Leaf.
    let rows: String
    /// The page of units shown (fifty at a time), with `?q=` and `?branch=`.
    let board: ResultsPage.Board
    /// The branch filter's options, written in Swift (`Markup.options`).
    let branchOptions: String
    let branch: String
    /// `?show=short` (不足) or `behind` (落后): only the units with such a line; every unit when empty.
    let show: [SelectOption]
    let ledgerStart: LedgerStartForm

    /// 台账启用日: shown to the general branch, set by the organizer; a refusal returns with the typed day beside its
    /// message.
    struct LedgerStartForm: Encodable {
        var startsOn: String?
        /// 2026年4月1日起各支部、党小组全部计入.
        var countedFrom: String?
        var mayChange = false
        var notice: String?
        var error: String?
    }

    static func query(_ req: Request, ledgerStart typed: LedgerStartForm? = nil) async throws -> CompliancePage {
        let quarter = try await Compliance.requestedQuarter(req)
        let search = (req.query[String.self, at: "q"] ?? "").trimmingCharacters(in: .whitespaces)
        let branch = (req.query[String.self, at: "branch"] ?? "").trimmingCharacters(in: .whitespaces)
        let selection = Compliance.Selection(branch: branch.isEmpty ? nil : branch, search: search)
        let show = req.query[String.self, at: "show"].flatMap(Show.init(rawValue:))
        let base = SiteURL.compliance.path(
            query: ["period": quarter.code, "branch": branch.isEmpty ? nil : branch, "show": show?.rawValue])
        let today = BureauCalendar.today()
        let held = try await Compliance.held(in: Compliance.period(of: quarter, on: req.db), on: req.db)
        let document: [Compliance.UnitLines]
        let board: ResultsPage.Board
        if let show {
            // Which units fall short or behind is known only once their ledgers are read: every unit found is,
            // and the page is cut from those that show it.
            let found = try await Compliance.listed(in: quarter, selection, on: req.db)
            let read = try await Compliance.document(of: found, quarter: quarter, today: today, on: req.db)
            (document, board) = ResultsPage.Board.slice(read.filter(show.admits), search: search, req: req, base: base)
        } else {
            // The count, then the window's fifty: neither reads a ledger beyond the window's.
            let found = try await Compliance.count(in: quarter, selection, held: held, on: req.db)
            let window = ResultsPage.Board.window(found, search: search, req: req, base: base)
            let shown = try await Compliance.listed(
                in: quarter, selection, limit: window.range.count, offset: window.range.lowerBound, held: held,
                on: req.db)
            (document, board) = (
                try await Compliance.document(of: shown, quarter: quarter, today: today, on: req.db), window.board
            )
        }
        var branchOptions = Markup()
        branchOptions.options(
            [SelectOption(value: "", label: "全部党支部", selected: branch.isEmpty)]
                + held.branches.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == branch) })
        let user = try req.auth.require(User.self)
        let setting = try await LedgerStart.setting(on: req.db)
        var ledgerStart = typed ?? LedgerStartForm(startsOn: setting.startsOn)
        ledgerStart.countedFrom = setting.countedFrom
        ledgerStart.mayChange = Policy.holdsBureauRole(
            try await Access.roles(of: user, on: req.db), Policy.ledgerStarters)
        let opened = try await Period.newestFirst(on: req.db)
        return CompliancePage(
            chrome: try await PageChrome.make("台账对照", req),
            period: quarter.code, periodLabel: quarter.label, year: quarter.year,
            periods: opened.compactMap { Quarter(year: $0.year, quarter: $0.quarter) }.map {
                SelectOption(value: $0.code, label: $0.label, selected: $0 == quarter)
            },
            rows: rows(document, year: quarter.year),
            board: board,
            branchOptions: branchOptions.text,
            branch: branch,
            show: [SelectOption(value: "", label: "全部", selected: show == nil)]
                + Show.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == show) },
            ledgerStart: ledgerStart)
    }

    /// Each unit's row: its name linking to its ledger, its windows ended short (red) and behind (amber) as chips
    /// — none in 部分记账 — and how many ended windows it met.
    static func rows(_ document: [Compliance.UnitLines], year: Int) -> String {
        var markup = Markup()
        for unit in document {
            let isGroup = unit.kind == Unit.Kind.group.rawValue
            if isGroup { markup.start("tr", ["class": "group"]) } else { markup.insert("<tr>") }
            markup.insert("<td>")
            markup.element(
                "a", ["href": SiteURL.ledger(.init(unit.unit)).path(query: ["year": String(year)])], content: unit.name)
            if unit.partial { markup.insert("<br><span class=\"hint\">部分记账</span>") }
            markup.insert("</td>")
            for (kind, admits) in [("short", Show.short), ("behind", Show.behind)] {
                markup.insert("<td>")
                for line in unit.partial ? [] : unit.requirements where admits.marks(line) {
                    markup.element("span", ["class": "chip \(kind)"], content: chip(line, of: unit))
                    markup.insert(" ")
                }
                markup.insert("</td>")
            }
            let ended = unit.requirements.filter(\.ended)
            markup.element(
                "td", ["class": "num"], content: "\(ended.filter { $0.short == 0 }.count) / \(ended.count)")
            markup.insert("</tr>\n")
        }
        return markup.text
    }

    /// A chip: the group (short of its branch's name), the activity, its window, recorded of needed.
    static func chip(_ line: Compliance.Line, of unit: Compliance.UnitLines) -> String {
        let who = line.group.map { "\(OrgTree.shortName($0, under: unit.name)) " } ?? ""
        return "\(who)\(line.label) \(window(line)) \(line.recorded)/\(line.needed)"
    }

    /// The units a filter keeps: those with a window ended short (不足), or one behind schedule (落后); a quarter in
    /// 部分记账 shows neither.
    enum Show: String, CaseIterable {
        case short, behind

        var label: String { self == .short ? "有不足" : "有落后" }

        func admits(_ unit: Compliance.UnitLines) -> Bool {
            !unit.partial && unit.requirements.contains(where: marks)
        }

        /// A line it shows: a window ended short, or one behind schedule.
        func marks(_ line: Compliance.Line) -> Bool {
            switch self {
            case .short: return line.ended && line.short > 0
            case .behind: return line.behind
            }
        }
    }

    /// How a chip names its window: 8月, 每周 (the quarter's weeks summed), 本季, 下半年, 全年 — as the sheet does.
    static func window(_ line: Compliance.Line) -> String {
        guard let span = LedgerSpan(rawValue: line.span), let first = CalendarDay(line.from),
            let last = CalendarDay(line.to)
        else {
            return "全年"
        }
        return span == .week ? "每周" : SpanWindow(span: span, first: first, last: last).shortLabel
    }
}
