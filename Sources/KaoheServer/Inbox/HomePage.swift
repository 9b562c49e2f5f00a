import Fluent
import KaoheCore
import SQLKit
import Vapor

/// 工作台: where every role lands after sign-in.
struct HomePage: Encodable {
    struct RoleLine: Encodable {
        let role: String
        let label: String
        let unit: String
    }

    let chrome: PageChrome
    let displayName: String
    let roles: [RoleLine]
    /// The 待办 table's rows, written in Swift: the start page is what everyone loads first on deadline day, and a
    /// template's loop over its lines was a fifth of it.
    let pendingRows: String
    let pendingCount: Int

    static func query(for user: User, on request: Request) async throws -> HomePage {
        let grants = try await Access.roles(of: user, on: request.db).sorted { $0.unitCode < $1.unitCode }
        let (pending, places) = try await Inbox.read(for: user, on: request.db)
        // The units the roles are held on were read for the 待办, all but the general branch.
        let missing = grants.map(\.unitCode).filter { places[$0] == nil }
        let names = places.mapValues(\.name).merging(try await Unit.names(of: missing, on: request.db)) { a, _ in a }
        return HomePage(
            chrome: try await PageChrome.make("工作台", request),
            displayName: user.displayName,
            roles: grants.map {
                RoleLine(role: $0.role.rawValue, label: $0.role.label, unit: names[$0.unitCode] ?? $0.unitCode)
            },
            pendingRows: rows(pending),
            pendingCount: pending.count
        )
    }

    /// One row a line: what (linked) and its quarter, its state, what to do, its deadline with the days left.
    static func rows(_ lines: [Inbox.Line]) -> String {
        var markup = Markup()
        for line in lines {
            markup.insert("<tr><td>")
            markup.element("a", ["href": line.href], content: line.name)
            markup.insert(" ")
            markup.element("span", ["class": "hint"], content: line.period)
            markup.insert("</td>")
            markup.element("td", [:], content: line.stateLabel)
            markup.element("td", [:], content: line.todo)
            markup.start("td", ["class": "num"])
            if let deadline = line.deadline {
                markup.write(deadline)
                markup.insert("<br>")
                markup.element(
                    "span", ["class": "tag \(line.countdown?.tone ?? "")"], content: line.countdown?.text ?? "")
            } else {
                markup.write("—")
            }
            markup.insert("</td></tr>\n")
        }
        return markup.text
    }
}
