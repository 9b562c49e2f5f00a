import Fluent
import KaoheCore
import Vapor

/// 考核表: the rubric by category (一)…(六), each item with its base points, rules, entries and score; the running
/// total, grade and bonus on top; the forms the viewer may use now (entries, opinions, workflow moves); after
/// submission the self-assessed score (自查分) beside the current one, item by item. Built from the API's own
/// document of the sheet (`SheetDocument`), so page and API always show the same.
struct SheetPage: Encodable {
    struct EvidenceLink: Encodable {
        let name: String
        let href: String
    }

    struct EntryLine: Encodable {
        let id: String
        let rule: String
        let ruleText: String
        let bonus: Bool
        /// 3 次, 3.5 分.
        let amount: String?
        /// −3, +1: what it moves the item (or the bonus) by.
        let effect: String
        let note: String?
        let caseText: String?
        /// 自查发现、已纠正，从轻扣分.
        let flags: String?
        let stage: String
        let author: String
        let withdrawn: Bool
        let withdrawnReason: String?
        let removable: Bool
        /// Taking it off withdraws it with a reason (撤销) rather than deleting it (删除): `Sheets.removal`.
        let withdraws: Bool
        let evidence: [EvidenceLink]
        /// 办法 五: 考核依据来源, and 三(二)'s report of a larger problem to the 总支书记.
        let source: String?
        let reportedOn: String?
        /// The panel's word on the unit's 从轻/不予扣分: 考核小组认可：理由.
        let mitigationDecision: String?
        /// The panel may confirm or refuse the mitigation now.
        let decidesMitigation: Bool
        /// The rule is the same event as a veto (细则 3.2.c ~ V5): the veto, and the organizer's or approver's link
        /// to record it with this entry's note and files, until it is recorded.
        let veto: String?
        let vetoOffer: String?
    }

    /// The add-entry form of one item, with what was posted and what was wrong when it comes back.
    struct EntryFormView: Encodable {
        let rules: [SelectOption]
        let counts: Bool
        let ranges: String?
        let bonus: Bool
        let deductions: Bool
        let count: String
        let points: String
        let caseText: String
        let note: String
        let selfFound: Bool
        let corrected: Bool
        /// The unit's own form: only it marks problems self-found and asks for mitigation (三(二)).
        let selfStage: Bool
        let reportedOn: String
        /// The mitigation box starts open when the posted entry used it.
        let mitigating: Bool
        let mitigations: [SelectOption]
        /// 考核依据 sent with the entry: the sources of 办法 五, the one posted chosen.
        let sources: [SelectOption]
        /// The evidence box starts open when the refused post carried a file.
        let attaching: Bool
        let errors: [String: String]
    }

    struct OpinionView: Encodable {
        let text: String?
        let editable: Bool
        let draft: String
        let error: String?
    }

    struct Item: Encodable {
        let id: String
        let changed: Bool
        /// Its text, scores, rules and entries, written in Swift (`itemMarkup`).
        let body: String
        /// 考核意见 (the panel's per-item opinion) — shown, and written by the panel during its review.
        let opinion: OpinionView
        /// The add-entry form, written in Swift (`entryFormMarkup`), when the viewer may add entries.
        let form: String?
    }

    struct Category: Encodable {
        let id: String
        let numeral: String
        let title: String
        let points: String
        let score: String
        let selfScore: String?
        let items: [Item]
    }

    /// A workflow move as a button: a return or send-back asks for its reason beside it (and says who reads it); a
    /// step that cannot be taken back asks to be confirmed first, in a box that opens without JavaScript.
    struct Action: Encodable {
        let name: String
        let label: String
        let needsReason: Bool
        let reasonReader: String?
        let confirm: String?
        /// 考核完毕 carries the panel's overall 考核意见 (办法 四(二)).
        let needsOpinion: Bool

        init(_ action: WorkflowAction, on state: SheetState) {
            name = action.rawValue
            needsOpinion = action == .review
            label = action == .forward && state == .draft ? "未报送，转交考核小组" : action.label
            needsReason = Workflow.needsReason.contains(action)
            reasonReader =
                switch action {
                case .return: "被考核单位"
                case .sendBack: "考核小组"
                default: nil
                }
            confirm =
                switch action {
                case .submit: "报送后自查记录不能再修改（组织委员退回后方可修改）。确认报送？"
                case .forward where state == .draft: "该单位截至自查报送截止日未报送自查结果，转交后记为“未开展自查”。确认转交考核小组？"
                case .review: "考核完毕后考核小组不能再修改记录和考核意见。确认考核完毕？"
                case .approve: "审核确定后等待公布。确认审核确定？"
                case .publish: "公布后结果报党总支备案，不能再修改。确认公布？"
                default: nil
                }
        }
    }

    /// An entry the records imply, accepted with one click (the count only for a rule that counts).
    struct SuggestionLine: Encodable {
        let rule: String
        let ruleText: String
        let count: Int
        let counted: Bool
        let reason: String
    }

    struct Dismissed: Encodable {
        let rule: String
        let ruleText: String
        let suggestion: String
        let reason: String
        let by: String
        /// Offered again to whoever writes entries now (the panel, beside the unit's reason) while the records
        /// still say the same; the count as the entry takes it.
        let acceptable: Bool
        let count: Int
        let counted: Bool
    }

    /// What the last post left to show: the notice of a done step, or what was wrong and the input to keep.
    struct FormState {
        var notice: String?
        /// A refusal of the whole request (a stale version, a state that no longer allows it).
        var problem: String?
        /// Where on the page the refused form is (`#item-2.9`).
        var problemLink: String?
        /// What was typed into a form the sheet no longer offers (it moved on meanwhile), to be copied, not lost.
        var unsaved: String?
        var entryItem: String?
        var entry = EntryForm()
        var entryErrors: [String: String] = [:]
        var reason = ""
        var reasonError: String?
        var opinionItem: String?
        var opinionText = ""
        var opinionError: String?
        /// The overall 考核意见 typed into 考核完毕, kept when the close is refused.
        var closingOpinion: String?
        var closingOpinionError: String?
        var evidenceSource: String?
    }

    let chrome: PageChrome
    let period: String
    /// The period's year, for the link to the unit's ledger of that year.
    let year: Int
    let periodLabel: String
    let unit: String
    let unitName: String
    let levelLabel: String
    let rubricTitle: String
    let state: String
    let stateLabel: String
    let version: Int
    let next: String
    let late: Bool
    let submittedAt: String?
    let total: String
    let maxScore: String
    let grade: String
    let gradeLabel: String
    let bonus: String
    let vetoed: Bool
    let compare: Bool
    let selfTotal: String?
    let selfGradeLabel: String?
    let panelColumn: String
    let writeStage: String?
    let withdrawing: Bool
    let categories: [Category]
    let actions: [Action]
    let suggestions: [SuggestionLine]
    /// Suggestions set aside, with the reason: shown to whoever reads the sheet.
    let dismissed: [Dismissed]
    /// The ledger's windows still running: 党员大会 全年需 4 次，已 2 次 (amber when behind).
    let pace: [Pace]
    let returnReason: String?
    /// Why the approver sent the reviewed sheet back to the panel (办法 四(三)).
    let sendBackReason: String?
    /// The organizer forwarded it after the deadline without a self-report (未开展自查).
    let unreported: Bool
    let reviewLate: Bool
    let history: SheetHistory
    /// Who signs the printed sheet (`SheetPaper.signatories`): a line each, on paper only.
    let signatories: [String]
    let notice: String?
    let problem: String?
    let problemLink: String?
    let unsaved: String?
    let reason: String
    let reasonError: String?
    /// The panel's overall 考核意见 (办法 四(二)), once it closed its review.
    let overallOpinion: String?
    /// What 考核完毕 would be refused for now: the panel rules on these first (`SheetReview`).
    let openQuestions: [String]
    /// The overall opinion in the 考核完毕 box: what was typed, or what was written at an earlier close.
    let closingOpinion: String
    let closingOpinionError: String?
    let feedbackHref: String

    static func query(
        _ period: Period, _ sheet: Sheet, _ viewer: Policy.Viewer, on req: Request,
        state form: FormState = FormState()
    ) async throws -> SheetPage {
        // Everything the page reads that does not depend on the document is read beside it: on PostgreSQL each on a
        // connection of its own, so the page waits for the slowest read rather than for their sum.
        async let documentRead = SheetDocument.load(sheet, of: period, on: req.db)
        async let unitRead = req.db.rows(
            Unit.self, "SELECT * FROM \(ident: Unit.schema) WHERE code = \(bind: sheet.unitCode)")
        async let vetoesRead = req.db.rows(
            VetoRecord.self,
            """
            SELECT * FROM \(ident: VetoRecord.schema) WHERE unit_code = \(bind: sheet.unitCode) AND year = \(bind: period.year)
            AND withdrawn_at IS NULL
            """)
        async let historyRead = SheetHistory.load(period: period.code, unit: sheet.unitCode, on: req.db)
        let document = try await documentRead
        let rubric = document.rubric
        let unit = try await unitRead.first
        let names = try await User.displayNames(of: document.entries.map(\.createdBy), on: req.db)
        let state = sheet.state
        let stage = try? Policy.writableStage(sheet, viewer)
        let mayWriteOpinion = (try? Policy.mayWriteOpinion(sheet, viewer)) != nil
        let mayDecideMitigation = (try? Policy.mayDecideMitigation(sheet, viewer)) != nil
        let mayRecordVeto = Policy.mayRecordVetoes(viewer.grants)
        let recordedVetoes = Set(try await vetoesRead.map(\.veto))
        let compare = document.selfScore != nil && state != .draft
        let selfItems = Dictionary(
            (document.selfScore?.items ?? []).map { ($0.id, $0.score) }, uniquingKeysWith: { a, _ in a })
        let selfCategories = Dictionary(
            (document.selfScore?.categories ?? []).map { ($0.id, $0.score) }, uniquingKeysWith: { a, _ in a })
        let scorer = Scorer(rubric: rubric)
        let history = try await historyRead
        let base = SiteURL.sheet(.init(period.code), unit: .init(sheet.unitCode)).path
        let policy = req.kaoheSettings.evidence

        func entryLine(_ entry: SheetEntry) -> EntryLine {
            let rule = rubric.rule(id: entry.rule)
            let bonus = rule?.type == .bonus
            let effect = rule.map { scorer.effectivePoints(of: Sheets.entry(entry), under: $0) } ?? 0
            var flags: [String] = []
            if entry.selfFound { flags.append("自查发现") }
            if entry.corrected { flags.append("已纠正") }
            if entry.mitigation == .reduced { flags.append("从轻扣分") }
            if entry.mitigation == .waived { flags.append("不予扣分") }
            return EntryLine(
                id: entry.id?.uuidString ?? "", rule: entry.rule, ruleText: rule?.text ?? "",
                bonus: bonus,
                amount: entry.count.map { "\($0) 次" } ?? entry.points.flatMap { Decimal(string: $0) }.map { "\($0) 分" },
                effect: (bonus ? "+" : "−") + PageFormat.points(effect),
                note: entry.note, caseText: entry.caseText, flags: flags.isEmpty ? nil : flags.joined(separator: "、"),
                stage: entry.stage == .panel ? "考核" : "自查",
                author: names[entry.createdBy] ?? entry.createdBy,
                withdrawn: entry.withdrawn, withdrawnReason: entry.withdrawnReason,
                removable: !entry.withdrawn && stage.map { Sheets.mayRemove(entry.stage, at: $0) } == true,
                withdraws: stage.map { Sheets.removal(ofEntryMadeAt: entry.createdAt, on: sheet, at: $0) == .withdrawn }
                    == true,
                evidence: document.evidence(of: entry).map {
                    EvidenceLink(name: $0.filename, href: "\(base)/evidence/\($0.id?.uuidString ?? "")")
                },
                source: entry.source?.label,
                reportedOn: entry.reportedOn,
                mitigationDecision: entry.mitigationDecision.map {
                    "\($0.label)：\(entry.mitigationDecisionReason ?? "")"
                },
                decidesMitigation: mayDecideMitigation && !entry.withdrawn && entry.mitigation != .none,
                veto: rule?.veto.map { veto in recordedVetoes.contains(veto) ? "已记录一票否决 \(veto)" : "同属一票否决事项 \(veto)" },
                vetoOffer: rule?.veto.flatMap { veto in
                    guard mayRecordVeto, !entry.withdrawn, !recordedVetoes.contains(veto) else { return nil }
                    return
                        SiteURL.vetoes(.init(period.year)).path(
                            query: ["unit": sheet.unitCode, "veto": veto, "entry": entry.id?.uuidString],
                            fragment: "record")
                })
        }

        func entryForm(_ item: RubricItem) -> EntryFormView? {
            guard stage != nil else { return nil }
            let mine = form.entryItem == item.id
            let posted = mine ? form.entry : EntryForm()
            let chosen = EntryForm.text(posted.rule) ?? item.rules.first?.id
            let ranges = item.rules.compactMap { rule -> String? in
                guard case .range(let min, let max) = rule.points else { return nil }
                return "\(rule.id)：\(min)–\(max)"
            }
            let mitigation = EntryForm.text(posted.mitigation) ?? Mitigation.none.rawValue
            return EntryFormView(
                rules: item.rules.map {
                    SelectOption(
                        value: $0.id, label: "\($0.id) \($0.text)（\(pointsText($0))）", selected: $0.id == chosen)
                },
                counts: item.rules.contains { $0.unit == .each },
                ranges: ranges.isEmpty ? nil : ranges.joined(separator: "；"),
                bonus: item.rules.contains { $0.type == .bonus },
                deductions: item.rules.contains { $0.type == .deduct },
                count: posted.count ?? "", points: posted.points ?? "", caseText: posted.case ?? "",
                note: posted.note ?? "",
                selfFound: posted.ticksSelfFound, corrected: posted.ticksCorrected,
                selfStage: stage == .selfAssessment, reportedOn: EntryForm.text(posted.reportedOn) ?? "",
                mitigating: posted.ticksSelfFound || posted.ticksCorrected || mitigation != Mitigation.none.rawValue
                    || (mine && (form.entryErrors["mitigation"] != nil || form.entryErrors["reportedOn"] != nil)),
                mitigations: [
                    SelectOption(
                        value: Mitigation.none.rawValue, label: "照扣", selected: mitigation == Mitigation.none.rawValue),
                    SelectOption(
                        value: Mitigation.reduced.rawValue, label: "从轻扣分（× \(rubric.reducedFactor)）",
                        selected: mitigation == Mitigation.reduced.rawValue),
                    SelectOption(
                        value: Mitigation.waived.rawValue, label: "不予扣分",
                        selected: mitigation == Mitigation.waived.rawValue),
                ],
                sources: Evidence.Source.allCases.map {
                    SelectOption(
                        value: $0.rawValue, label: $0.label,
                        selected: $0.rawValue == (mine ? form.evidenceSource : nil) ?? Evidence.Source.records.rawValue)
                },
                attaching: mine && (form.entryErrors["file"] != nil || form.entryErrors["source"] != nil),
                errors: mine ? form.entryErrors : [:])
        }

        // Each entry's line written once, in the sheet's order: a busy sheet's 80 entries, each read through its
        // model's properties by each of the 31 items, were a tenth of the page.
        let entryLines = document.entries.map(entryLine)
        let rulesMarkup = Self.rulesMarkup(of: rubric, version: sheet.$rubric.id)
        let chrome = try await PageChrome.make("\(unit?.name ?? sheet.unitCode) \(period.code) 考核表", req)
        let panelColumn = sheet.level == .branch ? "考核小组评分" : "考核评分"
        let evidence = EvidenceInput(
            accept: policy.extensions.sorted().map { ".\($0)" }.joined(separator: ","), types: policy.listedTypes,
            maxMegabytes: policy.maxMegabytes)
        let markupContext = ItemMarkupContext(
            compare: compare, panelColumn: panelColumn, writes: stage != nil,
            period: period.code, unit: sheet.unitCode, csrf: chrome.csrf)
        let categories = rubric.categories.enumerated().map { index, category in
            Category(
                id: category.id, numeral: "（\(numeral(index + 1))）", title: category.title,
                points: PageFormat.points(category.points),
                score: PageFormat.points(
                    document.score.categories.first { $0.id == category.id }?.score ?? category.points),
                selfScore: compare ? selfCategories[category.id].map(PageFormat.points) : nil,
                items: category.items.map { item in
                    let scored = document.score.items.first { $0.id == item.id }
                    let score = scored?.score ?? item.base
                    let selfScore = compare ? selfItems[item.id] : nil
                    let mine = form.opinionItem == item.id
                    let changed = selfScore.map { $0 != score } ?? false
                    return Item(
                        id: item.id, changed: changed,
                        body: Self.itemMarkup(
                            id: item.id, text: item.text, base: PageFormat.points(item.base),
                            score: PageFormat.points(score),
                            selfScore: selfScore.map(PageFormat.points), changed: changed,
                            rules: rulesMarkup[item.id] ?? "",
                            entries: entryLines.filter { line in item.rules.contains { $0.id == line.rule } },
                            markupContext),
                        opinion: OpinionView(
                            text: document.opinions[item.id], editable: mayWriteOpinion,
                            draft: mine ? form.opinionText : (document.opinions[item.id] ?? ""),
                            error: mine ? form.opinionError : nil),
                        form: entryForm(item).map { Self.entryFormMarkup($0, markupContext, evidence: evidence) })
                })
        }

        let actions = SheetTurn.actions(
            on: sheet, viewer,
            selfReportPassed: SheetDeadlines.selfReport(sheet, rubric: rubric, period: period)
                .map { BureauCalendar.today() > $0 } ?? false)
        let openQuestions =
            actions.contains(.review)
            ? SheetReview.openQuestions(entries: document.entries, suggestions: document.suggestions) : []
        return SheetPage(
            chrome: chrome,
            period: period.code, year: period.year, periodLabel: Quarter(code: period.code)?.label ?? period.code,
            unit: sheet.unitCode, unitName: unit?.name ?? sheet.unitCode,
            levelLabel: unit?.kind.label ?? sheet.level.label,
            rubricTitle: rubric.title, state: sheet.state.rawValue, stateLabel: state.label, version: sheet.version,
            next: SheetTurn.next(state, level: sheet.level), late: sheet.late && state != .draft,
            submittedAt: sheet.submittedAt.map(PageFormat.dateTime),
            total: PageFormat.points(document.score.total), maxScore: PageFormat.points(rubric.maxScore),
            grade: document.score.grade, gradeLabel: document.score.gradeLabel,
            bonus: PageFormat.points(document.score.bonus),
            vetoed: document.score.vetoed,
            compare: compare, selfTotal: compare ? document.selfScore.map { PageFormat.points($0.total) } : nil,
            selfGradeLabel: compare ? document.selfScore?.gradeLabel : nil,
            panelColumn: panelColumn,
            writeStage: stage.map { $0 == .selfAssessment ? "自查打分" : "考核打分" },
            withdrawing: stage == .panel,
            categories: categories,
            actions: actions.map { Action($0, on: state) },
            suggestions: stage == nil
                ? []
                : document.suggestions.map {
                    let rule = rubric.rule(id: $0.rule)
                    return SuggestionLine(
                        rule: $0.rule, ruleText: rule?.text ?? "", count: $0.count, counted: rule?.unit == .each,
                        reason: $0.reason)
                },
            dismissed: document.dismissed.map { dismissed in
                let (record, rule) = (dismissed.record, rubric.rule(id: dismissed.record.rule))
                return Dismissed(
                    rule: record.rule, ruleText: rule?.text ?? "", suggestion: record.suggestion, reason: record.reason,
                    by: record.dismissedBy, acceptable: stage != nil && dismissed.current, count: record.count,
                    counted: rule?.unit == .each)
            },
            pace: document.pace,
            returnReason: state == .draft ? history.lastReturnReason : nil,
            sendBackReason: state == .underReview ? history.sendBackReason : nil,
            unreported: !sheet.selfReported, reviewLate: sheet.reviewLate,
            history: history,
            signatories: SheetPaper.signatories(of: sheet.level),
            notice: form.notice, problem: form.problem, problemLink: form.problemLink,
            unsaved: form.unsaved.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 },
            reason: form.reason,
            reasonError: form.reasonError,
            overallOpinion: sheet.opinion, openQuestions: openQuestions.map(\.label),
            closingOpinion: form.closingOpinion ?? sheet.opinion ?? "", closingOpinionError: form.closingOpinionError,
            feedbackHref: "\(base)/feedback")
    }

    /// 扣 1 分/次, 扣 3–4 分, 加 1–2 分.
    static func pointsText(_ rule: RubricRule) -> String {
        let verb = rule.type == .bonus ? "加" : "扣"
        let amount =
            switch rule.points {
            case .fixed(let value): "\(value)"
            case .range(let min, let max): "\(min)–\(max)"
            }
        return "\(verb) \(amount) 分\(rule.unit == .each ? "/次" : "")"
    }

    /// 一 … 十, for the categories (一)…(六).
    static func numeral(_ n: Int) -> String {
        let digits = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        return n < digits.count ? digits[n] : "\(n)"
    }
}
