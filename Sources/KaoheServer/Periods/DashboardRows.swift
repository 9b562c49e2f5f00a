/// The dashboard's table rows, written in Swift (`Markup`): through the template, each of fifty rows was some
/// thirty values Leaf looked up and escaped, the largest part of the page's time (docs/performance.md). The
/// branches' table and the groups' and members' differ in three columns.
enum DashboardRows {
    enum Table {
        /// With each branch's link to its groups and members when they are listed one branch at a time.
        case branches(unitsLinks: Bool)
        case lower
    }

    static func html(_ lines: [PeriodDashboardPage.Line], table: Table, period: String, csrf: String) -> String {
        var html = Markup()
        for line in lines { row(line, table: table, period: period, csrf: csrf, into: &html) }
        return html.text
    }

    private static func row(
        _ line: PeriodDashboardPage.Line, table: Table, period: String, csrf: String, into html: inout Markup
    ) {
        let branches: Bool
        if case .branches = table { branches = true } else { branches = false }
        if line.todo != nil {
            html.start("tr", ["id": "sheet-" + line.unit, "class": "mine"])
        } else {
            html.start("tr", ["id": "sheet-" + line.unit])
        }
        html.start("td", [:])
        html.element("a", ["href": line.href], content: line.name)
        switch table {
        case .branches(unitsLinks: true):
            html.element("br", [:])
            html.element(
                "a",
                [
                    "class": "hint",
                    "href": SiteURL.period(.init(period)).path(query: ["branch": line.unit], fragment: "units"),
                ], content: "党小组与党员")
        case .branches:
            break
        case .lower:
            html.write(" ")
            html.element("span", ["class": "hint"], content: line.levelLabel)
        }
        html.close("td")
        if !branches { html.element("td", [:], content: line.branch ?? "") }

        html.start("td", [:])
        html.write(line.stateLabel)
        if line.unreported { tag("overdue", "未开展自查", into: &html) }
        if line.reviewLate { tag("overdue", "考核逾期", into: &html) }
        html.close("td")

        html.start("td", ["class": "num"])
        html.write(line.selfDeadline)
        if let countdown = line.countdown { tag(countdown.tone, countdown.text, into: &html) }
        html.close("td")

        html.start("td", ["class": "num"])
        if let submittedAt = line.submittedAt {
            html.write(submittedAt)
            if line.late { tag("overdue", "逾期", into: &html) } else if branches { tag("due", "按时", into: &html) }
        } else {
            html.write("—")
        }
        html.close("td")

        html.element("td", ["class": "num"], content: line.total)
        html.start("td", [:])
        html.element("span", ["class": "badge " + line.grade], content: line.gradeLabel)
        html.close("td")
        if branches { html.element("td", ["class": "num"], content: line.bonus) }

        html.start("td", [:])
        html.write(line.next)
        if let todo = line.todo {
            html.element("br", [:])
            html.start("a", ["href": line.href])
            html.element("strong", [:], content: "待我办理：" + todo)
            html.close("a")
        }
        if !line.moves.isEmpty {
            html.start("div", ["class": "row-moves no-print"])
            for move in line.moves { form(move, line: line, csrf: csrf, into: &html) }
            html.close("div")
        }
        html.close("td")
        html.close("tr")
    }

    /// A move made from the row: the version seen, so a stale click is refused; a move to confirm asks first.
    private static func form(
        _ move: SheetPage.Action, line: PeriodDashboardPage.Line, csrf: String, into html: inout Markup
    ) {
        html.start("form", ["method": "post", "action": line.href + "/actions/" + move.name])
        html.element("input", ["type": "hidden", "name": "_csrf", "value": csrf])
        html.element("input", ["type": "hidden", "name": "version", "value": String(line.version)])
        html.element("input", ["type": "hidden", "name": "back", "value": "period"])
        if let confirm = move.confirm {
            html.start("details", ["class": "confirm"])
            html.element("summary", [:], content: move.label)
            html.start("div", ["class": "confirm-box"])
            html.element("p", [:], content: confirm)
            html.element("button", ["type": "submit", "class": "primary"], content: "确认" + move.label)
            html.close("div")
            html.close("details")
        } else {
            html.element("button", ["type": "submit"], content: move.label)
        }
        html.close("form")
    }

    private static func tag(_ tone: String, _ text: String, into html: inout Markup) {
        html.element("br", [:])
        html.element("span", ["class": "tag " + tone], content: text)
    }
}
