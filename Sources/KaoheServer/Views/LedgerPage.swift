import Fluent
import KaoheCore
import Vapor

/// 活动台账: a unit's records of a year (its groups' too, for a branch), how they stand against the rubric's
/// requirements quarter by quarter, and for its secretary or group leader the form to record one more.
struct LedgerPage: Encodable {
    struct Line: Encodable {
        let id: String
        let date: String
        let typeLabel: String
        let topic: String
        let unitName: String?
        let attendees: String
        let excused: String?
        let absent: String?
        let recordedBy: String
        let withdrawn: Bool
        let withdrawnReason: String?
        /// The unit's own standing record, which its recorder may withdraw (a group's records are its leader's).
        let withdrawable: Bool
        /// Why the withdrawal just posted for this record was refused.
        let withdrawError: String?
    }

    /// One requirement (for a branch's requirement counted per group, one group's) against the year: held per
    /// quarter, what each quarter's sheet is offered for it, and the year's pace.
    struct Compliance: Encodable {
        struct Cell: Encodable {
            let held: Int
            /// 缺 2: what the quarter's sheet deducts (red); 落后: a window under way behind an even pace (amber).
            let note: String?
            let short: Bool
            let behind: Bool
            /// 部分记账: begun before the ledger counts; shown, never deducted.
            let partial: Bool
        }
        let activity: String
        let group: String?
        let required: String
        let rule: String
        let quarters: [Cell]
        let total: Int
        /// 全年需 12 次，已 5 次, for a requirement counted over the year.
        let pace: String?
    }

    /// The form as posted: each member of the roster `people[code]` = attended, excused, absent or left blank.
    struct Form: Content {
        var type: String?
        var date: String?
        var topic: String?
        var people: [String: String]?

        var input: Ledger.Input {
            func chosen(_ state: String) -> [String] { (people ?? [:]).filter { $0.value == state }.map(\.key).sorted() }
            return Ledger.Input(type: type, date: date, topic: topic, attendees: chosen("attended"), absent: chosen("absent"),
                                excused: chosen("excused"))
        }
    }

    /// One member of the roster on the form, with what was chosen for them.
    struct Person: Encodable {
        let code: String
        let name: String
        let group: String?
        let state: String
    }

    let chrome: PageChrome
    let unit: String
    let unitName: String
    let year: Int
    let previousYear: String
    let nextYear: String?
    let lines: [Line]
    let compliance: [Compliance]
    let rubricTitle: String?
    /// The quarter the ledger began in, while it is 部分记账: its secretary may mark it complete.
    let partialQuarter: SelectOption?
    let mayRecord: Bool
    let types: [SelectOption]
    let roster: [Person]
    /// A member's page: their own record instead of the unit's ledger.
    let isMember: Bool
    let memberRecord: [MemberRecord.Line]
    let form: Form
    let errors: [String: String]
    let notice: String?

    static func query(_ unit: Unit, year: Int, on req: Request, form: Form = Form(), errors: [String: String] = [:],
                      withdrawError: (record: UUID, message: String)? = nil, notice: String? = nil) async throws -> LedgerPage {
        let user = try req.auth.require(User.self)
        let codes = try await Ledger.unitAndBelow(unit.code, on: req.db)
        let records = try await Ledger.records(of: codes, year: year, withdrawn: true, on: req.db)
        let units = Dictionary(try await Unit.query(on: req.db).filter(\.$code ~~ codes).all().map { ($0.code, $0.name) },
                               uniquingKeysWith: { first, _ in first })
        let names = try await User.displayNames(of: records.map(\.createdBy), on: req.db)
        let rubric = try await rubric(for: unit, year: year, on: req.db)
        let book = try await LedgerBook.read(for: unit.code, year: year, on: req.db)
        let today = BureauCalendar.today()
        let chosenType = form.type ?? ActivityType.committeeMeeting.rawValue
        return LedgerPage(
            chrome: try await PageChrome.make("活动台账", req),
            unit: unit.code, unitName: unit.name, year: year, previousYear: "\(year - 1)",
            nextYear: year < today.year ? "\(year + 1)" : nil,
            lines: records.reversed().map { record in
                /// Members by name; a code no member has any more (or a name recorded before codes) as written.
                func people(_ column: String) -> String? {
                    let codes = Activity.codes(column)
                    return codes.isEmpty ? nil : codes.map { units[$0] ?? $0 }.joined(separator: "、")
                }
                return Line(id: record.id?.uuidString ?? "", date: record.date, typeLabel: ActivityType(rawValue: record.type)?.label ?? record.type,
                            topic: record.topic, unitName: record.unitCode == unit.code ? nil : units[record.unitCode],
                            attendees: people(record.attendees) ?? "", excused: people(record.excused), absent: people(record.absent),
                            recordedBy: names[record.createdBy] ?? record.createdBy,
                            withdrawn: record.withdrawn, withdrawnReason: record.withdrawnReason,
                            withdrawable: !record.withdrawn && record.unitCode == unit.code,
                            withdrawError: withdrawError.flatMap { $0.record == record.id ? $0.message : nil })
            },
            compliance: rubric.map { compliance(of: book, under: $0, today: today) } ?? [],
            rubricTitle: rubric?.title,
            partialQuarter: partialQuarter(of: book, today: today),
            mayRecord: Ledger.mayRecord(try await Access.roles(of: user, on: req.db), unit: unit),
            types: ActivityType.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosenType) },
            roster: try await Ledger.members(of: unit.code, on: req.db).map { member in
                Person(code: member.code, name: member.name,
                       group: member.parentCode == unit.code ? nil : member.parentCode.flatMap { units[$0] }.map { shortName($0, under: unit.name) },
                       state: form.people?[member.code] ?? "")
            },
            isMember: unit.kind == .member,
            memberRecord: unit.kind == .member ? try await MemberRecord.read(unit, year: year, on: req.db).lines.reversed() : [],
            form: form, errors: errors, notice: notice)
    }

    /// The rubric the unit's sheets are scored by: its sheet's in the year's latest quarter, else in the latest one.
    static func rubric(for unit: Unit, year: Int, on db: any Database) async throws -> Rubric? {
        let periods = try await Period.query(on: db).sort(\.$year, .descending).sort(\.$quarter, .descending).all()
        guard let period = periods.first(where: { $0.year == year }) ?? periods.first,
              let sheet = try await Assessment.query(on: db).filter(\.$period.$id == period.requireID())
                .filter(\.$unitCode == unit.code).first() else { return nil }
        return try await RubricStore.rubric(id: sheet.$rubric.id, on: db)
    }

    /// Each requirement, quarter by quarter (a requirement counted per group, group by group): the records of the
    /// quarter, what its sheet deducts once its windows have ended, and behind schedule while they run.
    static func compliance(of book: LedgerBook, under rubric: Rubric, today: CalendarDay) -> [Compliance] {
        let quarters = (1...4).compactMap { Quarter(year: book.year, quarter: $0) }
        let lines = quarters.map { quarter in
            quarter.firstDay <= today ? book.lines(of: quarter, rubric: rubric, asOf: min(today, quarter.lastDay)) : []
        }
        let counted = rubric.requirements.flatMap { requirement -> [(ActivityRequirement, (code: String, name: String)?)] in
            guard requirement.eachGroup, !book.groups.isEmpty else { return [(requirement, nil)] }
            return book.groups.map { (requirement, ($0.code, $0.name)) }
        }
        return counted.map { requirement, group in
            let held = (group.flatMap { group in book.groups.first { $0.code == group.code }?.held } ?? book.held)
            let days = (held[requirement.activity] ?? []).filter { $0.year == book.year }
            let cells = zip(quarters, lines).map { quarter, lines in
                let mine = lines.filter { $0.tally.requirement == requirement && $0.group?.code == group?.code }
                let missing = mine.map(\.tally.missing).reduce(0, +)
                let partial = quarter.firstDay <= today && book.isPartial(quarter)
                // A partial quarter's records are not all there: neither short nor behind.
                let behind = !partial && missing == 0 && mine.contains { $0.tally.behind }
                return Compliance.Cell(
                    held: days.filter { $0.quarter == quarter.quarter }.count,
                    note: missing > 0 ? "缺 \(missing)" : behind ? "落后" : nil, short: missing > 0, behind: behind, partial: partial)
            }
            let yearLine = lines.last { !$0.isEmpty }?.first {
                $0.tally.requirement == requirement && $0.group?.code == group?.code && $0.tally.window.span == .year
            }
            return Compliance(activity: requirement.activity.label, group: group.map { shortName($0.name, under: book.unitName) },
                              required: requirement.frequency,
                              rule: requirement.rule, quarters: cells, total: days.count, pace: yearLine?.tally.pace)
        }
    }

    /// 第一党小组 rather than 机关第一党支部第一党小组 on the branch's own page.
    static func shortName(_ name: String, under parent: String) -> String {
        name.hasPrefix(parent) && name.count > parent.count ? String(name.dropFirst(parent.count)) : name
    }

    /// The quarter a secretary may mark complete: the one the ledger began in (or, with no record yet, this one)
    /// while it is 部分记账.
    static func partialQuarter(of book: LedgerBook, today: CalendarDay) -> SelectOption? {
        guard let quarter = book.keptSince ?? Quarter(of: today), quarter.year == book.year, book.isPartial(quarter),
              !book.completed.contains(quarter.code) else { return nil }
        return SelectOption(value: quarter.code, label: quarter.label, selected: true)
    }
}
