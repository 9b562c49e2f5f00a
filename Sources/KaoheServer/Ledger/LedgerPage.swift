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
    struct RequirementRow: Encodable {
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
        /// A branch's record: the 党小组 that held it.
        var group: String?
        var people: [String: String]?
        /// The documents form as typed, kept when a record is refused.
        var documentKind: String?
        var documentSubmittedOn: String?
        var documentTitle: String?

        var input: Ledger.Input {
            func chosen(_ state: String) -> [String] {
                (people ?? [:]).filter { $0.value == state }.map(\.key).sorted()
            }
            return Ledger.Input(
                type: type, date: date, topic: topic, group: group, attendees: chosen("attended"),
                absent: chosen("absent"), excused: chosen("excused"))
        }
    }

    /// 细则 2.3: one plan or summary of the year, with its due day and how it stands.
    struct DocumentLine: Encodable {
        /// The record's id, once reported; the attached file's name.
        let id: String?
        let file: String?
        let kind: String
        let label: String
        let due: String?
        let submittedOn: String?
        let title: String?
        /// 已上报, 逾期上报, 未上报（已过期）, 未到期.
        let state: String
        let overdue: Bool
    }

    /// One recorded month of the branch's dues.
    struct DuesSummary: Encodable {
        let month: String
        let handedOverOn: String?
        let paid: Int
        let members: Int
        let findings: String?
    }

    /// The form of one month: every member of the roster with what is recorded (or was typed) for them.
    struct DuesForm: Encodable {
        struct Line: Encodable {
            let code: String
            let name: String
            let amount: String
            let due: String
            let paidOn: String
            let signed: Bool
            /// Why the save was refused, when it was this member's line.
            let error: String?
        }
        let month: String
        let version: Int
        let handedOverOn: String
        let lines: [Line]
        let months: [SelectOption]
        let error: String?
    }

    /// What the dues form posts: `amount[code]`, `due[code]`, `paidOn[code]`, `signed[code]`.
    struct DuesPost: Content {
        var month: String?
        var version: Int?
        var handedOverOn: String?
        var amount: [String: String]?
        var due: [String: String]?
        var paidOn: [String: String]?
        var signed: [String: String]?

        /// The member whose line a refusal names (`payments[2].amount` → the third member typed).
        func member(named field: String) -> String? {
            guard let index = field.firstMatch(of: /^payments\[([0-9]+)\]/).flatMap({ Int($0.1) }) else { return nil }
            let payments = input.payments ?? []
            return payments.indices.contains(index) ? payments[index].member : nil
        }

        /// A member with nothing typed is left out: not paid.
        var input: DuesLedger.Input {
            let codes = Set((amount ?? [:]).keys).union((paidOn ?? [:]).keys)
            let payments = codes.sorted().compactMap { code -> DuesLedger.Input.Payment? in
                let typed = (amount?[code] ?? "").trimmingCharacters(in: .whitespaces)
                guard !typed.isEmpty else { return nil }
                let due = (self.due?[code] ?? "").trimmingCharacters(in: .whitespaces)
                return .init(
                    member: code, amount: .init(text: typed), due: due.isEmpty ? nil : .init(text: due),
                    paidOn: paidOn?[code], signed: signed?[code] != nil)
            }
            return DuesLedger.Input(payments: payments, handedOverOn: handedOverOn, version: version)
        }
    }

    /// One member of the roster on the form, with what was chosen for them.
    struct Person: Encodable {
        let code: String
        let name: String
        let group: String?
        let state: String
        /// For one no longer on the roster: the last day they were (a past meeting may still name them).
        var until: String? = nil
    }

    let chrome: PageChrome
    let unit: String
    let unitName: String
    let year: Int
    let previousYear: String
    let nextYear: String?
    let lines: [Line]
    let compliance: [RequirementRow]
    let rubricTitle: String?
    /// The quarter the ledger began in, while it is 部分记账: its secretary may mark it complete.
    let partialQuarter: SelectOption?
    let mayRecord: Bool
    let types: [SelectOption]
    /// A branch's 党小组, which a 党小组会 or a group's 组织活动 names; empty elsewhere.
    let groups: [SelectOption]
    let roster: [Person]
    /// A member's page: their own record instead of the unit's ledger.
    let isMember: Bool
    let memberRecord: [MemberRecord.Line]
    let memberDues: [MemberRecord.DuesLine]
    /// 党费 (a branch): the months recorded, and for its secretary the form of one month.
    let duesMonths: [DuesSummary]
    let duesForm: DuesForm?
    let documents: [DocumentLine]
    let documentKinds: [SelectOption]
    /// What a CSV of past records may hold here (dues only for the branch's secretary), and why one was not
    /// imported, row by row.
    let importKinds: [SelectOption]
    let importProblems: [String]
    let form: Form
    let errors: [String: String]
    let notice: String?

    /// The branch's groups to name on a record: 全支部 first, then each group.
    static func groupOptions(_ groups: [(code: String, name: String)], under unit: Unit, chosen: String?)
        -> [SelectOption]
    {
        guard !groups.isEmpty else { return [] }
        return [SelectOption(value: "", label: "全支部（不属某个党小组）", selected: (chosen ?? "").isEmpty)]
            + groups.map { group in
                SelectOption(
                    value: group.code, label: OrgTree.shortName(group.name, under: unit.name),
                    selected: group.code == chosen)
            }
    }

    static func query(
        _ unit: Unit, year: Int, on req: Request, form: Form = Form(), errors: [String: String] = [:],
        withdrawError: (record: UUID, message: String)? = nil, notice: String? = nil,
        duesMonth: String? = nil, duesPost: DuesPost? = nil, duesError: String? = nil,
        duesMember: String? = nil,
        importProblems: [String] = [], importKind: LedgerImport.Kind = .activities
    ) async throws -> LedgerPage {
        let user = try req.auth.require(User.self)
        let codes = try await Ledger.unitAndBelow(unit.code, on: req.db)
        let records = try await Ledger.records(of: codes, year: year, withdrawn: true, on: req.db)
        let units = Dictionary(
            try await Unit.query(on: req.db).filter(\.$code ~~ codes).all().map { ($0.code, $0.name) },
            uniquingKeysWith: { first, _ in first })
        let names = try await User.displayNames(of: records.map(\.createdBy), on: req.db)
        let rubric = try await Ledger.rubric(for: unit, year: year, on: req.db)
        let book = try await LedgerBook.read(for: unit.code, year: year, on: req.db)
        let today = BureauCalendar.today()
        let own = unit.kind == .member ? try await MemberRecord.read(unit, year: year, on: req.db) : nil
        let roles = try await Access.roles(of: user, on: req.db)
        let roster = try await Ledger.members(of: unit.code, on: req.db)
        let recorded = unit.kind == .branch ? try await DuesLedger.records(of: [unit.code], year: year, on: req.db) : []
        let memberNames = Dictionary(roster.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
            .merging(book.members) { current, _ in current }
        let duesMonths = recorded.reversed().map { record, payments in
            // Owed by the month's roster, not today's.
            let owed = book.owing[record.month] ?? roster.map(\.code)
            let findings = DuesCheck.findings(
                DuesLedger.months([(record, payments)]), members: owed,
                duesDay: rubric?.schedule.duesDay ?? 15, asOf: today)
            return DuesSummary(
                month: record.month, handedOverOn: record.handedOverOn,
                paid: payments.filter { (Decimal(string: $0.amount) ?? 0) > 0 }.count, members: owed.count,
                findings: findings.isEmpty
                    ? nil
                    : findings.map {
                        DuesLedger.text($0, names: memberNames, duesDay: rubric?.schedule.duesDay ?? 15)
                    }.joined(separator: "；"))
        }
        let duesForm =
            unit.kind == .branch && Policy.mayKeepDues(of: unit, roles)
            ? duesForm(
                roster: roster, recorded: recorded, year: year, today: today, chosen: duesMonth, post: duesPost,
                error: duesError, member: duesMember) : nil
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
                return Line(
                    id: record.id?.uuidString ?? "", date: record.date, typeLabel: record.type.label,
                    topic: record.topic,
                    unitName: record.unitCode == unit.code
                        ? record.groupCode.flatMap { units[$0] } : units[record.unitCode],
                    attendees: people(record.attendees) ?? "", excused: people(record.excused),
                    absent: people(record.absent),
                    recordedBy: names[record.createdBy] ?? record.createdBy,
                    withdrawn: record.withdrawn, withdrawnReason: record.withdrawnReason,
                    withdrawable: !record.withdrawn && record.unitCode == unit.code,
                    withdrawError: withdrawError.flatMap { $0.record == record.id ? $0.message : nil })
            },
            compliance: rubric.map { requirementRows(of: book, under: $0, today: today) } ?? [],
            rubricTitle: rubric?.title,
            partialQuarter: book.partialQuarter(today: today).map {
                SelectOption(value: $0.code, label: $0.label, selected: true)
            },
            mayRecord: Policy.mayRecordLedger(of: unit, roles),
            types: ActivityType.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosenType)
            },
            groups: groupOptions(book.groups.map { ($0.code, $0.name) }, under: unit, chosen: form.group),
            roster: roster.map { member in
                Person(
                    code: member.code, name: member.name,
                    group: member.parentCode == unit.code
                        ? nil : member.parentCode.flatMap { units[$0] }.map { OrgTree.shortName($0, under: unit.name) },
                    state: form.people?[member.code] ?? "")
            }
                + (try await formerMembers(of: unit, year: year, besides: roster, on: req.db)).map { member, until in
                    Person(
                        code: member.code, name: member.name, group: nil, state: form.people?[member.code] ?? "",
                        until: until)
                },
            isMember: unit.kind == .member,
            memberRecord: own?.lines.reversed() ?? [],
            memberDues: own?.duesLines ?? [],
            duesMonths: duesMonths, duesForm: duesForm,
            documents: unit.kind == .member
                ? []
                : try await documentLines(
                    of: unit.code, year: year, policy: rubric?.documents,
                    today: today, on: req.db),
            documentKinds: DocumentKind.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form.documentKind)
            },
            importKinds: LedgerImport.Kind.allCases.filter { $0 != .dues || duesForm != nil }.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == importKind)
            },
            importProblems: importProblems,
            form: form, errors: errors, notice: notice)
    }

    /// The book's year under the rubric, as the table says it: 缺 2 in red, 落后 in amber.
    static func requirementRows(of book: LedgerBook, under rubric: Rubric, today: CalendarDay) -> [RequirementRow] {
        book.year(under: rubric, today: today).map { line in
            RequirementRow(
                activity: line.requirement.activity.label,
                group: line.group.map { OrgTree.shortName($0.name, under: book.unitName) },
                required: line.requirement.frequency, rule: line.requirement.rule,
                quarters: line.quarters.map { count in
                    RequirementRow.Cell(
                        held: count.held, note: count.missing > 0 ? "缺 \(count.missing)" : count.behind ? "落后" : nil,
                        short: count.missing > 0, behind: count.behind, partial: count.partial)
                },
                total: line.total, pace: line.pace)
        }
    }

    /// The month chosen (`?month=`, else the latest month of the year that has begun) with what is recorded for it,
    /// or what was just typed when a save was refused (the refusal beside the `member`'s line it names, and named by
    /// them above the button).
    static func duesForm(
        roster: [Unit], recorded: [(DuesRecord, [DuesPaymentRecord])], year: Int, today: CalendarDay,
        chosen: String?, post: DuesPost?, error: String?, member refused: String? = nil
    ) -> DuesForm? {
        let lastMonth = year < today.year ? 12 : year == today.year ? today.month : 0
        guard lastMonth > 0 else { return nil }
        let months = (1...lastMonth).reversed().map { "\(year)-\($0 < 10 ? "0" : "")\($0)" }
        let month = (post?.month ?? chosen).flatMap { months.contains($0) ? $0 : nil } ?? months[0]
        let record = recorded.first { $0.0.month == month }
        let payments = Dictionary((record?.1 ?? []).map { ($0.memberCode, $0) }, uniquingKeysWith: { a, _ in a })
        return DuesForm(
            month: month, version: post?.version ?? record?.0.version ?? 0,
            handedOverOn: post?.handedOverOn ?? record?.0.handedOverOn ?? "",
            lines: roster.map { member in
                let payment = payments[member.code]
                return .init(
                    code: member.code, name: member.name,
                    amount: post?.amount?[member.code] ?? payment?.amount ?? "",
                    due: post?.due?[member.code] ?? payment?.due ?? "",
                    paidOn: post?.paidOn?[member.code] ?? payment?.paidOn ?? "",
                    signed: post.map { $0.signed?[member.code] != nil } ?? payment?.signed ?? false,
                    error: member.code == refused ? error : nil)
            },
            months: months.map { SelectOption(value: $0, label: $0, selected: $0 == month) },
            error: error.map { error in
                roster.first { $0.code == refused }.map { "\($0.name)：\(error)" } ?? error
            })
    }

    /// Every kind the rubric asks for (or any reported), with its due day and state.
    static func documentLines(
        of unit: String, year: Int, policy: DocumentPolicy?, today: CalendarDay,
        on db: any Database
    ) async throws -> [DocumentLine] {
        let reported = try await Documents.list(of: unit, year: year, on: db)
        let kinds = DocumentKind.allCases.filter { kind in
            policy?.due.contains { $0.kind == kind } == true || reported.contains { $0.kind == kind }
        }
        return kinds.map { kind in
            let due = policy?.due.first { $0.kind == kind }?.due(in: year)
            let document = reported.first { $0.kind == kind }
            let standing = DocumentCheck.standing(
                submitted: document.flatMap { CalendarDay($0.submittedOn) }, due: due, asOf: today)
            return DocumentLine(
                id: document?.id?.uuidString, file: document?.fileName, kind: kind.rawValue, label: kind.label,
                due: due?.description, submittedOn: document?.submittedOn, title: document?.title,
                state: standing.label, overdue: standing == .late || standing == .missing)
        }
    }

}

extension LedgerPage {
    /// Those on the unit's roster on some day of the year who are not on it now (moved away, transferred out), with
    /// the last day they were: the form offers them for a meeting held before they left, the server checks the day.
    static func formerMembers(of unit: Unit, year: Int, besides roster: [Unit], on db: any Database) async throws
        -> [(Unit, String)]
    {
        guard unit.kind == .branch || unit.kind == .group else { return [] }
        let rosters = try await Ledger.rosters(of: unit, on: db)
        let first = "\(year)-01-01", last = "\(year)-12-31"
        let current = Set(roster.map(\.code))
        var until: [String: String] = [:]
        for stretch in rosters.stretches where stretch.from <= last && stretch.to >= first && stretch.to < last {
            guard !current.contains(stretch.member) else { continue }
            until[stretch.member] = max(until[stretch.member] ?? "", stretch.to)
        }
        guard !until.isEmpty else { return [] }
        return try await Unit.query(on: db).filter(\.$code ~~ Array(until.keys)).sort(\.$code).all().compactMap {
            member in
            until[member.code].map { (member, $0) }
        }
    }
}
