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
        let absent: String?
        let recordedBy: String
        let withdrawn: Bool
        let withdrawnReason: String?
        /// The unit's own standing record, which its recorder may withdraw (a group's records are its leader's).
        let withdrawable: Bool
        /// Why the withdrawal just posted for this record was refused.
        let withdrawError: String?
    }

    /// One requirement against the year: held per quarter, and what each quarter checked fell short of.
    struct Compliance: Encodable {
        struct Cell: Encodable {
            let held: Int
            /// 缺 2 for a quarter that has ended; 还差 2 for the quarter under way.
            let missing: String?
            let ended: Bool
            /// A quarter that has begun before the ledger was kept: nothing recorded, nothing found short.
            let unkept: Bool
        }
        let activity: String
        let required: String
        let rule: String
        let quarters: [Cell]
        let total: Int
    }

    /// The form as posted: attendees and absent one name per line (or separated by 、，, or spaces).
    struct Form: Content {
        var type: String?
        var date: String?
        var topic: String?
        var attendees: String?
        var absent: String?

        var input: Ledger.Input {
            Ledger.Input(type: type, date: date, topic: topic, attendees: Self.names(attendees), absent: Self.names(absent))
        }

        static func names(_ text: String?) -> [String] {
            (text ?? "").split(whereSeparator: { "\n\r、，,;； \t".contains($0) }).map(String.init)
        }
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
    let mayRecord: Bool
    let types: [SelectOption]
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
        let keptSince = try await Ledger.keptSince(codes, on: req.db)
        let today = BureauCalendar.today()
        let chosenType = form.type ?? ActivityType.committeeMeeting.rawValue
        return LedgerPage(
            chrome: try await PageChrome.make("活动台账", req),
            unit: unit.code, unitName: unit.name, year: year, previousYear: "\(year - 1)",
            nextYear: year < today.year ? "\(year + 1)" : nil,
            lines: records.reversed().map { record in
                let absent = record.absent.split(separator: "\n")
                return Line(id: record.id?.uuidString ?? "", date: record.date, typeLabel: ActivityType(rawValue: record.type)?.label ?? record.type,
                            topic: record.topic, unitName: record.unitCode == unit.code ? nil : units[record.unitCode],
                            attendees: record.attendees.split(separator: "\n").joined(separator: "、"),
                            absent: absent.isEmpty ? nil : absent.joined(separator: "、"),
                            recordedBy: names[record.createdBy] ?? record.createdBy,
                            withdrawn: record.withdrawn, withdrawnReason: record.withdrawnReason,
                            withdrawable: !record.withdrawn && record.unitCode == unit.code,
                            withdrawError: withdrawError.flatMap { $0.record == record.id ? $0.message : nil })
            },
            compliance: rubric.map { compliance(of: Ledger.held(in: records), under: $0, year: year, today: today, keptSince: keptSince) } ?? [],
            rubricTitle: rubric?.title,
            mayRecord: Ledger.mayRecord(try await Access.roles(of: user, on: req.db), unit: unit),
            types: ActivityType.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosenType) },
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

    /// Each requirement, quarter by quarter; a quarter is checked once it has begun, and short once it has ended.
    /// Quarters before `keptSince` (all of them, when the unit keeps no ledger yet) are marked unkept instead.
    static func compliance(of held: [ActivityType: [CalendarDay]], under rubric: Rubric, year: Int, today: CalendarDay,
                           keptSince: Quarter?) -> [Compliance] {
        func begun(_ q: Int) -> Bool { (year, (q - 1) * 3 + 1) <= (today.year, today.month) }
        func unkept(_ q: Int) -> Bool {
            guard begun(q) else { return false }
            guard let keptSince, let quarter = Quarter(year: year, quarter: q) else { return true }
            return quarter < keptSince
        }
        let checked = (1...4).compactMap { q -> (Int, [ActivityShortfall])? in
            guard let quarter = Quarter(year: year, quarter: q), begun(q), let keptSince else { return nil }
            return (q, ActivityShortfall.of(quarter, requirements: rubric.requirements, held: held, keptSince: keptSince))
        }
        return rubric.requirements.map { requirement in
            let days = (held[requirement.activity] ?? []).filter { $0.year == year }
            let cells = (1...4).map { q in
                let missing = checked.first { $0.0 == q }?.1.filter { $0.requirement == requirement }.map(\.missing).reduce(0, +) ?? 0
                let ended = (year, q * 3) < (today.year, today.month)
                return Compliance.Cell(held: days.filter { $0.quarter == q }.count,
                                       missing: missing > 0 ? (ended ? "缺 \(missing)" : "还差 \(missing)") : nil, ended: ended,
                                       unkept: unkept(q))
            }
            return Compliance(activity: requirement.activity.label, required: frequency(requirement), rule: requirement.rule,
                              quarters: cells, total: days.count)
        }
    }

    static func frequency(_ requirement: ActivityRequirement) -> String {
        [requirement.perQuarter.map { "每季不少于 \($0) 次" }, requirement.perHalfYear.map { "每半年不少于 \($0) 次" },
         requirement.perYear.map { "全年不少于 \($0) 次" }].compactMap { $0 }.joined(separator: "，")
    }
}
