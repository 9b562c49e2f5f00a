import Fluent
import KaoheCore
import NIOConcurrencyHelpers
import Vapor

/// Opening periods and keeping sheets: every score comes from KaoheCore's `Scorer`.
enum Sheets {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// Opens a quarter: binds the latest rubric version of each level for good, takes the branches' deadlines
    /// as chosen or else from the branch rubric's schedule, and creates a draft sheet for every branch and group in
    /// being then, and every member on its roster long enough (`Memberships.assessed`). A panel deadline before the self-report one is a `ValidationProblem`.
    /// - Parameter branchRubricKey: the rubric branches are assessed by; the most recently saved branch rubric when nil.
    @discardableResult
    static func open(
        _ quarter: Quarter, branchRubricKey: String? = nil, deadlines: SheetDeadlines.Chosen = .init(),
        actor: String, today: CalendarDay = BureauCalendar.today(), on db: any Database
    ) async throws -> Period {
        // A quarter after the current one is a slip of the keyboard (2099Q1) that would stand in every list:
        // refused. Past quarters open, for a bureau that starts mid-year.
        if let current = Quarter(of: today), quarter > current {
            throw ValidationProblem(
                field: "quarter", rule: "只能建立本季度（\(current.code)）及以前的考核期 (a quarter after the current one)")
        }
        return try await db.writeTransaction { db in
            guard try await Period.query(on: db).filter(\.$code == quarter.code).count() == 0 else {
                throw Problem(description: "\(quarter.code) 考核期已存在")
            }
            func latest(_ level: UnitLevel, key: String? = nil) async throws -> RubricVersion? {
                try await RubricStore.latest(level: level, key: key, on: db)
            }
            guard let branchRubric = try await latest(.branch, key: branchRubricKey) else {
                throw Problem(description: "尚无考核党支部的细则，请先在“考核细则”中安装")
            }
            let groupRubric = try await latest(.group), memberRubric = try await latest(.member)
            let period = try Period(
                quarter, rubrics: .init(branch: branchRubric, group: groupRubric, member: memberRubric),
                deadlines: deadlines, actor: actor)
            try await period.create(on: db)
            let rubrics: [Unit.Kind: RubricVersion] = [
                .branch: branchRubric, .group: groupRubric, .member: memberRubric,
            ]
            .compactMapValues { $0 }
            let units = try await Memberships.assessed(
                in: quarter, by: try memberRubric.map { try RubricStore.rubric(of: $0).schedule }, on: db)
            let above = try await PlacesThen.above(units, in: quarter, on: db)
            try await units.compactMap { unit in
                try rubrics[unit.kind].map { try Sheet(draftOf: unit, in: period, rubric: $0, above: above[unit.code]) }
            }.create(on: db, inBatchesOf: 500)
            try await AuditLog.append(
                on: db, actor: actor, action: .periodOpen, subject: .period(quarter.code),
                after: [
                    "rubric": "\(branchRubric.key)/\(branchRubric.number)",
                    "selfDeadline": period.selfDeadline, "panelDeadline": period.panelDeadline,
                ])
            return period
        }
    }

    /// Adds an entry for `viewer`, at the stage `Policy.writableStage` gives them (403 when none): the way every
    /// route writes, so that none can forget who may.
    @discardableResult
    static func add(
        _ entry: Entry, details: EntryDetails = .init(), to sheet: Sheet, by viewer: Policy.Viewer,
        rubric: Rubric, evidence: [UUID] = [], on db: any Database
    ) async throws -> SheetEntry {
        try await add(
            entry, details: details, to: sheet, stage: Policy.writableStage(sheet, viewer), actor: viewer.user.username,
            rubric: rubric, evidence: evidence, on: db)
    }

    /// What the bureau keeps of an entry beyond what scores it: where the finding comes from (办法 五) and when a
    /// larger self-found problem was reported to the 总支书记 (三(二)).
    struct EntryDetails: Sendable {
        var source: Evidence.Source?
        var reportedOn: CalendarDay?

        init(source: Evidence.Source? = nil, reportedOn: CalendarDay? = nil) {
            self.source = source
            self.reportedOn = reportedOn
        }

        /// Reads the API's or the form's text: an unknown source or an unreadable day is named.
        init(source: String?, reportedOn: String?) throws {
            let source = source?.trimmingCharacters(in: .whitespaces) ?? ""
            let day = reportedOn?.trimmingCharacters(in: .whitespaces) ?? ""
            var details = EntryDetails()
            if !source.isEmpty {
                guard let known = Evidence.Source(rawValue: source) else {
                    let names = Evidence.Source.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ValidationProblem(field: "source", rule: "考核依据来源应为 \(names) 之一 (unknown source)")
                }
                details.source = known
            }
            if !day.isEmpty {
                guard let parsed = CalendarDay(InputText.halfWidth(day)) else {
                    throw ValidationProblem(field: "reportedOn", rule: "应为日期，如 2026-09-20 (must be a date)")
                }
                details.reportedOn = parsed
            }
            self = details
        }
    }

    /// Adds an entry after KaoheCore has checked it against the sheet's rubric; raises the sheet's version and
    /// audits the change. Throws a `ValidationProblem` naming the rule when the entry breaks it. Routes use
    /// `add(_:to:by:)`; this one writes at a given stage, as the demo bureau's seeded history does.
    @discardableResult
    /// - Parameter evidence: files already uploaded to this sheet that back the entry.
    static func add(
        _ entry: Entry, details: EntryDetails = .init(), to sheet: Sheet, stage: SheetEntry.Stage,
        actor: String, rubric: Rubric, evidence: [UUID] = [], on db: any Database
    ) async throws -> SheetEntry {
        // Scores are kept to the cent, as the rubric writes them: 1.333 would be scored and shown differently.
        if let points = entry.points, points.rounded(scale: 2) != points {
            throw ValidationProblem(field: "points", rule: "分值最多两位小数 (at most two decimals)")
        }
        let problems = Scorer(rubric: rubric).problems(in: entry)
        guard problems.isEmpty else {
            throw ValidationProblem(field: "rule \(entry.rule)", rule: problems.joined(separator: "; "))
        }
        try explained(entry, at: stage)
        if let reported = details.reportedOn {
            guard entry.selfFound else {
                throw ValidationProblem(field: "reportedOn", rule: "向总支书记汇报的日期只用于自查发现的问题（办法 三(二)）")
            }
            guard reported <= BureauCalendar.today() else {
                throw ValidationProblem(field: "reportedOn", rule: "汇报日期不能晚于今天")
            }
        }
        let row = try SheetEntry(entry, details: details, on: sheet, stage: stage, actor: actor)
        try await db.writeTransaction { db in
            try await raiseForAddition(sheet, on: db)
            // A `once` rule counts once a sheet: a second entry in force would count it twice (the panel replaces
            // the unit's by withdrawing it first). Asked after the sheet is held, so two at once cannot both pass.
            if rubric.rule(id: entry.rule)?.unit == .once,
                try await SheetEntry.query(on: db).filter(\.$sheet.$id == sheet.requireID())
                    .filter(\.$rule == entry.rule).filter(\.$withdrawn == false).count() > 0
            {
                throw ValidationProblem(
                    field: "rule", rule: "\(entry.rule) 每张考核表只计一次，已有一条；如需更改，请先撤销原记录 (a once rule, already entered)")
            }
            // Rules that exclude each other (the rubric's `excludes`): one of them in force on a sheet.
            let excluded = rubric.excluded(by: entry.rule)
            if !excluded.isEmpty,
                let standing = try await SheetEntry.query(on: db).filter(\.$sheet.$id == sheet.requireID())
                    .filter(\.$rule ~~ excluded).filter(\.$withdrawn == false).first()
            {
                throw ValidationProblem(
                    field: "rule",
                    rule:
                        "\(entry.rule) 与已有的 \(standing.rule) 不能同时扣分；如需更改，请先撤销原记录 (excluded by \(standing.rule))")
            }
            try await row.create(on: db)
            try await EvidenceUploads.attach(evidence, to: sheet, entry: row, on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: .entryAdd, subject: try await sheet.auditSubject(on: db),
                after: EntryRecord(row))
        }
        return row
    }

    /// 办法 四(一): every deduction and bonus is explained — `kaohe score` scores a sheet without notes, a sheet
    /// kept here has them. 三(二)'s self-found problem is the unit's own finding, never the panel's.
    static func explained(_ entry: Entry, at stage: SheetEntry.Stage) throws {
        guard entry.note?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == false else {
            throw ValidationProblem(field: "note", rule: "请写明扣分或加分的理由（办法 四(一)：每一项都须说明）")
        }
        if stage == .panel, entry.selfFound {
            throw ValidationProblem(field: "selfFound", rule: "考核小组的记录不能标为“自查发现”（办法 三(二)：自查发现是本单位自己查出的问题）")
        }
    }

    /// What the audit log keeps of an entry.
    struct EntryRecord: Codable {
        let rule: String
        let count: Int?
        let points: String?
        let caseText: String?
        let mitigation: String
        let stage: String
        let withdrawn: Bool
        let withdrawnReason: String?

        init(_ row: SheetEntry) {
            rule = row.rule
            count = row.count
            points = row.points
            caseText = row.caseText
            mitigation = row.mitigation.rawValue
            stage = row.stage.rawValue
            withdrawn = row.withdrawn
            withdrawnReason = row.withdrawnReason
        }
    }

    /// Moves a sheet one step of the workflow. A stale `version` is refused (409) and the newer data kept; a
    /// submission snapshots the self-assessed score (自查分) and records lateness against the period's deadline.
    /// The viewer's right to the step is checked here, so no caller can forget it. A submission scores `known`
    /// entries when the caller read them with the sheet's document.
    static func act(
        _ action: WorkflowAction, on sheet: Sheet, period: Period, version: Int, reason: String?,
        opinion: String? = nil, by viewer: Policy.Viewer, today: CalendarDay, entries known: [SheetEntry]? = nil,
        on db: any Database
    ) async throws {
        try Policy.requireMayTake(action, on: sheet, viewer)
        let actor = viewer.user.username
        guard version == sheet.version else {
            throw Abort(.conflict, reason: "考核表已被他人修改（当前版本 \(sheet.version)，您的版本 \(version)），请刷新后再操作 (stale version)")
        }
        let from = sheet.state
        let to: SheetState
        do {
            to = try Workflow.apply(action, to: from, reason: reason)
        } catch {
            if Workflow.needsReason.contains(action), Workflow.actions(from: from).contains(action) {
                throw ValidationProblem(field: "reason", rule: error.message)
            }
            throw Abort(.conflict, reason: error.message)
        }
        let rubric = try await RubricStore.rubric(id: sheet.$rubric.id, on: db)
        if action == .forward, from == .draft {
            // 未开展自查: only once the unit's own deadline has passed may the organizer stop waiting for it.
            guard let deadline = SheetDeadlines.selfReport(sheet, rubric: rubric, period: period), today > deadline
            else {
                let day = SheetDeadlines.selfReport(sheet, rubric: rubric, period: period)?.description ?? "截止日"
                throw Abort(
                    .conflict, reason: "自查报送截止日 \(day) 之后，才能将未报送的考核表转交考核小组 (not before the self-report deadline)")
            }
        }
        if action == .publish { try requireEnded(period, today: today) }
        let closingOpinion = action == .review ? try SheetReview.opinion(opinion) : nil
        if action == .review {
            // Read before the move; any entry or dismissal since raises the version, and the move is then refused.
            let entries = if let known { known } else { try await sheet.entriesInOrder(on: db) }
            let suggestions = try await SheetDocument.openSuggestions(
                sheet, entries: entries, rubric: rubric, period: period, on: db)
            let open = SheetReview.openQuestions(entries: entries, suggestions: suggestions)
            guard open.isEmpty else { throw SheetReview.QuestionsOpen(open: open) }
        }
        try await db.writeTransaction { db in
            switch action {
            case .submit:
                // Entries read before the transaction serve only while the sheet stays at `version` (`saveMove`).
                let entries = if let known { known } else { try await sheet.entriesInOrder(on: db) }
                let snapshot = UnitReport(try score(sheet, entries: entries, rubric: rubric))
                let text = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
                sheet.selfScore = text
                remember(snapshot, as: text)
                sheet.submittedAt = Date()
                sheet.late =
                    SheetDeadlines.selfReport(sheet, rubric: rubric, period: period).map { today > $0 } ?? false
                sheet.selfReported = true
            case .forward where from == .draft:
                sheet.selfReported = false
            case .review:
                sheet.opinion = closingOpinion
                sheet.reviewLate =
                    SheetDeadlines.panelReview(sheet, rubric: rubric, period: period).map { today > $0 } ?? false
            case .publish:
                try await recordPublication(sheet, rubric: rubric, today: today, on: db)
            default:
                break
            }
            sheet.state = to
            // Set, not incremented: a transient conflict runs this body again with the same sheet.
            sheet.version = version + 1
            try await saveMove(sheet, from: version, on: db)
            if action == .publish {
                try await Results.file(sheet, in: period, on: db)
            }
            try await AuditLog.append(
                on: db, actor: actor, action: .sheet(action),
                subject: .sheet(period: period.code, unit: sheet.unitCode),
                before: ["state": from.rawValue],
                after: [
                    "state": to.rawValue, "reason": reason ?? "", "late": sheet.late ? "yes" : "no",
                    "selfReported": sheet.selfReported ? "yes" : "no", "reviewLate": sheet.reviewLate ? "yes" : "no",
                ].merging(closingOpinion.map { ["opinion": $0] } ?? [:]) { a, _ in a })
        }
    }

    /// 自查分: the score block kept at submission, if the sheet was submitted.
    static func selfSnapshot(of sheet: some SheetFacts) -> UnitReport? {
        guard let text = sheet.selfScore else { return nil }
        if let known = snapshots.withLockedValue({ $0[text] }) { return known }
        guard let report = try? JSONDecoder().decode(UnitReport.self, from: Data(text.utf8)) else { return nil }
        remember(report, as: text)
        return report
    }

    /// Holds a snapshot by its text: the submission that writes one answers with its sheet's document at once.
    private static func remember(_ report: UnitReport, as text: String) {
        snapshots.withLockedValue { held in
            if held.count >= heldSnapshots { held.removeAll(keepingCapacity: true) }
            held[text] = report
        }
    }

    /// Snapshots decoded, by their text: a snapshot is written once, at submission, and every reading of its sheet
    /// decoded it anew (7 % of a sheet's read through the API). The text is its own key, so nothing is ever stale.
    private static let snapshots = NIOLockedValueBox<[String: UnitReport]>([:])
    private static let heldSnapshots = 512

    /// The engine's view of a sheet's entries in force.
    static func unitSheet(_ sheet: some SheetFacts, entries: [SheetEntry], vetoes: [String] = []) -> UnitSheet {
        unitSheet(sheet, scored: entries.filter { !$0.withdrawn }.map(entry), vetoes: vetoes)
    }

    /// The engine's input from the entries in force already as the engine reads them (`Sheet.scoredEntries`).
    static func unitSheet(_ sheet: some SheetFacts, scored entries: [Entry], vetoes: [String] = []) -> UnitSheet {
        UnitSheet(
            unit: sheet.unitCode, baseBonus: sheet.baseBonus.flatMap { Decimal(string: $0) } ?? 0, vetoes: vetoes,
            entries: entries)
    }

    /// The engine's view of one entry.
    static func entry(_ row: SheetEntry) -> Entry {
        entry(
            rule: row.rule, count: row.count, points: row.points, caseText: row.caseText, note: row.note,
            selfFound: row.selfFound, corrected: row.corrected, asked: row.mitigation, decision: row.mitigationDecision)
    }

    /// The engine's view of an entry's stored columns.
    static func entry(
        rule: String, count: Int?, points: String?, caseText: String?, note: String?, selfFound: Bool,
        corrected: Bool, asked: Mitigation, decision: SheetEntry.MitigationDecision?
    ) -> Entry {
        Entry(
            rule: rule, count: count, points: points.flatMap { Decimal(string: $0) }, caseText: caseText, note: note,
            selfFound: selfFound, corrected: corrected, mitigation: mitigationInForce(asked: asked, decision: decision))
    }

    /// The mitigation that scores: the unit's request once the panel confirmed it (办法 三(二): it takes effect
    /// only when the panel accepts it); asked and not yet ruled on, the problem counts in full.
    static func mitigationInForce(asked: Mitigation, decision: SheetEntry.MitigationDecision?) -> Mitigation {
        decision == .confirmed ? asked : .none
    }

    /// The engine's report of a sheet, as its document shows it. A report is a pure function of the rubric version and
    /// the engine's input (the entries in force, the vetoes, the base bonus), so it is held by them: a published
    /// sheet read a thousand times is scored once, and any change to what it scores is another key, never a stale one.
    static func report(
        _ sheet: some SheetFacts, rubricVersion: UUID, entries: [SheetEntry], rubric: Rubric,
        vetoes: [String]
    ) throws -> UnitReport {
        let key = ReportKey(rubricVersion: rubricVersion, sheet: unitSheet(sheet, entries: entries, vetoes: vetoes))
        if let known = reports.withLockedValue({ $0[key] }) { return known }
        let report = UnitReport(try score(key.sheet, rubric: rubric))
        reports.withLockedValue { held in
            if held.count >= heldReports { held.removeAll(keepingCapacity: true) }
            held[key] = report
        }
        return report
    }

    private struct ReportKey: Hashable {
        let rubricVersion: UUID
        let sheet: UnitSheet
    }

    private static let reports = NIOLockedValueBox<[ReportKey: UnitReport]>([:])
    private static let heldReports = 512

    /// `vetoes`: the ids of the vetoes in force that strike the unit in the sheet's year (`Vetoes.struck`).
    static func score(_ sheet: some SheetFacts, entries: [SheetEntry], rubric: Rubric, vetoes: [String] = []) throws
        -> UnitScore
    {
        try score(unitSheet(sheet, entries: entries, vetoes: vetoes), rubric: rubric)
    }

    /// The same, from the entries in force as the engine reads them (`Sheet.scoredEntries`).
    static func score(_ sheet: some SheetFacts, scored entries: [Entry], rubric: Rubric, vetoes: [String] = []) throws
        -> UnitScore
    {
        try score(unitSheet(sheet, scored: entries, vetoes: vetoes), rubric: rubric)
    }

    /// The engine's input (`unitSheet`) scored.
    static func score(_ input: UnitSheet, rubric: Rubric) throws -> UnitScore {
        // A count stored before counts were bounded reads as the rule's maximum: the item's base stops the
        // deduction long before, so the score is the same and the sheet stays readable.
        var unit = input
        // Only a veto the sheet's rubric lists strikes it (Vetoes.struck cascades by the rubrics already): a record
        // of another kind never makes the sheet unreadable.
        unit.vetoes = unit.vetoes.filter { rubric.veto(id: $0) != nil }
        for index in unit.entries.indices {
            if let count = unit.entries[index].count, let rule = rubric.rule(id: unit.entries[index].rule),
                count > rule.maxCount
            {
                unit.entries[index].count = rule.maxCount
            }
        }
        do {
            return try Scorer(rubric: rubric).score(unit)
        } catch {
            // Entries are checked when they are made; a stored sheet that no longer scores is a fault.
            throw Abort(.internalServerError, reason: "考核表 \(unit.unit) 的记录无法计分: \(error)")
        }
    }
}
