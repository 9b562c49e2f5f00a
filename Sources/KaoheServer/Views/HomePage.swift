import Fluent
import KaoheCore
import Vapor

/// 工作台: where every role lands after sign-in.
struct HomePage: Encodable {
    struct RoleLine: Encodable {
        let role: String
        let label: String
        let unit: String
    }

    /// 待办: a sheet the user must act on now, by the same rules the server enforces.
    struct Pending: Encodable {
        let period: String
        let name: String
        let stateLabel: String
        let todo: String
        let deadline: String?
        let countdown: Countdown?
        let href: String
    }

    let chrome: PageChrome
    let displayName: String
    let roles: [RoleLine]
    let pending: [Pending]

    static func query(for user: User, on request: Request) async throws -> HomePage {
        let grants = try await user.$roles.query(on: request.db).sort(\.$unitCode).all()
        let names = try await Unit.names(of: grants.map(\.unitCode), on: request.db)
        return HomePage(
            chrome: try await PageChrome.make("工作台", request),
            displayName: user.displayName,
            roles: grants.map { RoleLine(role: $0.role.rawValue, label: $0.role.label, unit: names[$0.unitCode] ?? $0.unitCode) },
            pending: try await pending(for: user, on: request.db)
        )
    }

    /// Every sheet of every period that waits for the user: to fill in and submit, to forward or return, to review,
    /// to approve. Nearest deadline first.
    static func pending(for user: User, on db: any Database) async throws -> [Pending] {
        let today = BureauCalendar.today()
        let waiting = Set(AssessmentState.allCases).subtracting([.published])
        var lines: [(deadline: CalendarDay?, line: Pending)] = []
        for period in try await Period.query(on: db).sort(\.$year, .descending).sort(\.$quarter, .descending).all() {
            let board = try await PeriodSheets.load(period, for: user, states: waiting, on: db)
            for sheet in board.sheets {
                guard let todo = SheetTurn.todo(on: sheet.row, sheet.viewer) else { continue }
                let deadline = SheetDeadlines.current(sheet.row, rubric: sheet.rubric, period: period)
                lines.append((deadline, Pending(
                    period: period.code, name: sheet.name, stateLabel: sheet.state.label, todo: todo,
                    deadline: deadline?.description, countdown: deadline.map { Countdown(to: $0, today: today) },
                    href: "/periods/\(period.code)/sheets/\(sheet.row.unitCode)")))
            }
        }
        // Stable: sheets without a deadline keep their tree order after those with one.
        return lines.enumerated().sorted { a, b in
            switch (a.element.deadline, b.element.deadline) {
            case let (x?, y?) where x != y: x < y
            case (_?, nil): true
            case (nil, _?): false
            default: a.offset < b.offset
            }
        }.map(\.element.line)
    }
}
