import Fluent
import KaoheCore
import Vapor

/// 反馈 and 申诉 of one sheet: the panel's opinions item by item beside the self and final scores, the
/// sheet's evidence, and the one objection — filed by the unit, decided by whoever publishes its level.
struct FeedbackPage: Encodable {
    struct ItemLine: Encodable {
        let id: String
        let text: String
        let base: String
        let selfScore: String
        let score: String
        let changed: Bool
        let opinion: String?
    }

    struct EvidenceLine: Encodable {
        let name: String
        let source: String
        let size: String
        let href: String
        let uploadedBy: String
    }

    struct ObjectionView: Encodable {
        let state: String
        let stateLabel: String
        let reason: String
        let filedBy: String
        let decision: String?
        let decidedBy: String?
        /// 处理结果: the score and grade as published before, and after the new result was published.
        let outcome: String?
    }

    let chrome: PageChrome
    let period: String
    let unit: String
    let unitName: String
    let state: String
    let stateLabel: String
    let published: Bool
    let total: String
    let grade: String
    let gradeLabel: String
    let items: [ItemLine]
    /// The panel's overall 考核意见 (办法 四(二)).
    let overallOpinion: String?
    let evidence: [EvidenceLine]
    let objection: ObjectionView?
    let objectionDeadline: String?
    let mayObject: Bool
    let mayDecide: Bool
    let mayUpload: Bool
    let sources: [SelectOption]
    let maxMegabytes: Int
    let allowedTypes: String
    let errors: [String: String]
    let form: [String: String]
    /// What the last step did, and who acts next.
    let notice: String?

    static func query(
        _ period: Period, _ sheet: Sheet, _ viewer: Policy.Viewer, on req: Request,
        errors: [String: String] = [:], form: [String: String] = [:], notice: String? = nil
    ) async throws -> FeedbackPage {
        let document = try await SheetDocument.load(sheet, of: period, on: req.db)
        let rubric = document.rubric
        let own = Policy.mayObject(sheet, viewer)
        let published = sheet.state == .published
        let deadline = sheet.publishedOn.flatMap(CalendarDay.init).map {
            rubric.schedule.objectionDeadline(publishedOn: $0)
        }
        let selfItems = Dictionary(
            (document.selfScore?.items ?? []).map { ($0.id, $0.score) }, uniquingKeysWith: { a, _ in a })
        let name = try await Unit.query(on: req.db).filter(\.$code == sheet.unitCode).first()?.name ?? sheet.unitCode
        let policy = req.kaoheSettings.evidence
        let names = try await User.displayNames(
            of: [document.objection?.filedBy, document.objection?.decidedBy].compactMap { $0 }, on: req.db)
        return FeedbackPage(
            chrome: try await PageChrome.make("\(name) 考核反馈", req),
            period: period.code, unit: sheet.unitCode, unitName: name, state: sheet.state.rawValue,
            stateLabel: sheet.state.label, published: published,
            total: "\(document.score.total)", grade: document.score.grade, gradeLabel: document.score.gradeLabel,
            items: rubric.items.map { item in
                let score = document.score.items.first { $0.id == item.id }?.score ?? item.base
                let selfScore = selfItems[item.id]
                return ItemLine(
                    id: item.id, text: item.text, base: "\(item.base)", selfScore: selfScore.map { "\($0)" } ?? "—",
                    score: "\(score)", changed: selfScore.map { $0 != score } ?? false,
                    opinion: document.opinions[item.id])
            },
            overallOpinion: sheet.opinion,
            evidence: document.evidence.map { file in
                EvidenceLine(
                    name: file.filename, source: file.source.label, size: byteCount(file.size),
                    href: SiteURL.evidence(
                        .init(period.code), unit: .init(sheet.unitCode), evidence: .init(file.id?.uuidString ?? "")
                    ).path,
                    uploadedBy: file.uploadedBy)
            },
            objection: document.objection.map { objection in
                ObjectionView(
                    state: objection.state.rawValue, stateLabel: objection.state.label,
                    reason: objection.reason, filedBy: names[objection.filedBy] ?? objection.filedBy,
                    decision: objection.decisionReason,
                    decidedBy: objection.decidedBy.map { names[$0] ?? $0 },
                    outcome: objection.beforeTotal.map { beforeTotal in
                        let before = "\(beforeTotal) 分（\(objection.beforeGrade ?? "")）"
                        guard let after = objection.afterTotal else { return "原公布结果 \(before)；重新考核的结果公布后在此记录" }
                        if objection.state == .dismissed { return "维持原结果 \(before)" }
                        return "原公布结果 \(before) → 复核后 \(after) 分（\(objection.afterGrade ?? "")）"
                    })
            },
            objectionDeadline: deadline?.description,
            mayObject: own && published && document.objection == nil
                && deadline.map { BureauCalendar.today() <= $0 } == true,
            mayDecide: document.objection?.state == .open && Policy.mayTake(.reopen, on: sheet, viewer),
            mayUpload: (try? Policy.mayUploadEvidence(sheet, viewer)) != nil,
            sources: Evidence.Source.allCases.map { SelectOption(value: $0.rawValue, label: $0.label) },
            maxMegabytes: policy.maxMegabytes, allowedTypes: policy.listedTypes,
            errors: errors, form: form, notice: notice)
    }

    static func byteCount(_ bytes: Int) -> String {
        bytes < 1024 ? "\(bytes) B" : bytes < 1024 * 1024 ? "\(bytes / 1024) KB" : "\(bytes / 1024 / 1024) MB"
    }
}
