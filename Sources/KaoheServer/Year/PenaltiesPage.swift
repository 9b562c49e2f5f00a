import Fluent
import KaoheCore
import Vapor

/// 扣奖: every branch's line (a secretary sees only their own), the organizer's form of bases, the general
/// branch's shares, exports and the A4 print.
struct PenaltiesPage: Encodable {
    struct Line: Encodable {
        let unit: String
        let name: String
        /// 支部书记 in the quarter, whose bonus is cut.
        let person: String?
        let total: String?
        let grade: String?
        let gradeLabel: String?
        let baseBonus: String
        /// What the organizer typed when the form was refused, else the base saved.
        let typed: String
        let error: String?
        let penalty: String
        let formula: String?
        let setBy: String?
    }

    struct General: Encodable {
        let penalty: String
        let generalSecretary: String
        let deputySecretary: String
        let branches: Int
        let generalSecretaryShare: String
        let deputySecretaryShare: String
        let generalSecretaryPerson: String?
        let deputySecretaryPerson: String?
    }

    struct State {
        var notice: String?
        var problem: String?
        var errors: [String: String] = [:]
        var typed: [String: String] = [:]
        var importProblems: [String] = []
    }

    let chrome: PageChrome
    let period: String
    let periodLabel: String
    let published: Bool
    let publishedOn: String?
    let lines: [Line]
    let general: General?
    let mayEdit: Bool
    let mayReadAll: Bool
    let rule: String
    let notice: String?
    let problem: String?
    let importProblems: [String]
    let today: String

    static func query(_ period: Period, on req: Request, state: State) async throws -> PenaltiesPage {
        let user = try req.auth.require(User.self)
        let grants = try await Access.roles(of: user, on: req.db)
        let mayReadAll = Policy.readsForTheGeneralBranch(grants)
        let own = Set(grants.filter { $0.role == .branchSecretary }.map(\.unitCode))
        guard Policy.mayReadPenalties(grants) else {
            throw Abort(
                .forbidden, reason: "扣奖表由党总支和各支部书记查看 (the general branch and the secretaries read the penalties)")
        }
        let document = try await Penalties.document(of: period, on: req.db)
        let people = try await User.query(on: req.db).filter(
            \.$username ~~ document.secretaries.compactMap(\.baseSetBy)
        ).all()
        let names = Dictionary(people.map { ($0.username, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let rubric = try await RubricStore.rubric(id: period.$branchRubric.id, on: req.db)
        let policy = rubric.penalty
        let published = period.publishedOn != nil
        let lines = document.secretaries.filter { mayReadAll || own.contains($0.unit) }.map { line in
            Line(
                unit: line.unit, name: line.name, person: line.person,
                total: published ? line.total.map(PageFormat.points) : nil,
                grade: published ? line.grade : nil, gradeLabel: published ? line.gradeLabel : nil,
                baseBonus: PageFormat.money(line.baseBonus),
                typed: state.typed[line.unit] ?? (line.baseSetBy == nil ? "" : "\(line.baseBonus)"),
                error: state.errors[line.unit], penalty: published ? PageFormat.money(line.penalty) : "—",
                formula: published ? line.formula : nil,
                setBy: line.baseSetBy.map { who in
                    "\(names[who] ?? who) · \(line.baseSetAt.flatMap { ISO8601DateFormatter().date(from: $0) }.map(PageFormat.dateTime) ?? "")"
                        + (line.baseFrom.map { "（沿用 \($0)）" } ?? "")
                })
        }
        let general = document.general
        return PenaltiesPage(
            chrome: try await PageChrome.make("扣奖", req),
            period: period.code, periodLabel: Quarter(code: period.code)?.label ?? period.code,
            published: published, publishedOn: period.publishedOn, lines: lines,
            general: published && mayReadAll
                ? General(
                    penalty: PageFormat.money(general.penalty),
                    generalSecretary: PageFormat.money(general.generalSecretary),
                    deputySecretary: PageFormat.money(general.deputySecretary), branches: general.branches,
                    generalSecretaryShare: "\(general.generalSecretaryShare * 100)%",
                    deputySecretaryShare: "\(general.deputySecretaryShare * 100)%",
                    generalSecretaryPerson: general.generalSecretaryPerson,
                    deputySecretaryPerson: general.deputySecretaryPerson) : nil,
            mayEdit: Policy.maySetPenaltyBases(grants),
            mayReadAll: mayReadAll,
            rule: policy.map {
                "支部书记扣奖 = 行政考核基数奖金 × \($0.multiplier) × (1 − 考核总分/\($0.reference)) × \($0.rate * 100)%，"
                    + "适用于考核等级为\($0.grades.map { rubric.grade(key: $0)?.label ?? $0 }.joined(separator: "、"))的支部；党总支扣奖为各支部书记扣奖的平均数，"
                    + "总支书记承担 \($0.generalSecretaryShare * 100)%，副书记承担 \($0.deputySecretaryShare * 100)%。"
            } ?? "本考核细则未规定扣奖。",
            notice: state.notice, problem: state.problem, importProblems: state.importProblems,
            today: BureauCalendar.today().description)
    }
}
