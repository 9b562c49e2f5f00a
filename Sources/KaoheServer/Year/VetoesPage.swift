import Fluent
import KaoheCore
import Vapor

/// 一票否决 of one year: the units struck and why, every record kept (withdrawn ones too), and the organizer's or
/// approver's form to record one, pre-filled when it is offered from a sheet's entry of the same event.
struct VetoesPage: Encodable {
    struct Form: Content {
        var unit: String?
        var veto: String?
        var date: String?
        var reason: String?
        var evidence: [UUID]?
    }

    struct Line: Encodable {
        let id: String
        let unit: String
        let unitName: String
        let veto: String
        let vetoText: String
        let date: String
        let reason: String
        let recordedBy: String
        let evidence: [EvidenceLink]
        let withdrawn: Bool
        let withdrawnReason: String?
    }

    struct EvidenceLink: Encodable {
        let name: String
        let href: String
    }

    struct State {
        var notice: String?
        var form = Form()
        var errors: [String: String] = [:]
        var withdrawError: String?
    }

    let chrome: PageChrome
    let year: Int
    let previousYear: Int
    let nextYear: Int
    let struck: [String]
    let lines: [Line]
    let mayRecord: Bool
    let units: [SelectOption]
    /// A city's units are found by a search rather than listed (`unitChoice`); what was searched for.
    let unitsNarrowed: Bool
    let find: String
    let foundAtMost = VetoesPage.foundAtMost
    let vetoes: [SelectOption]
    let form: Form
    let attached: [EvidenceLink]
    /// The files offered with the form, carried as hidden fields.
    let evidenceIDs: [String]
    let errors: [String: String]
    let notice: String?
    let withdrawError: String?

    static func query(year: Int, on req: Request, state: State, find: String = "") async throws -> VetoesPage {
        let user = try req.auth.require(User.self)
        let grants = try await Access.roles(of: user, on: req.db)
        let readsAll = Policy.readsForTheGeneralBranch(grants)
        let branches = grants.filter { $0.role == .branchSecretary }.map(\.unitCode)
        guard readsAll || !branches.isEmpty else { throw Abort(.forbidden, reason: "一票否决记录由党总支和各支部书记查看") }
        var records: [Vetoes.Record] = []
        for scope in readsAll ? [OrgTree.rootCode] : branches {
            records += try await Vetoes.records(under: scope, year: year, on: req.db)
        }
        let struck = try await Vetoes.struck(in: year, on: req.db)
        let visible = Set(records.map(\.unit))
        // The struck units and those above them only, never the city's tree.
        let struckUnits = try await Access.unitsAndAncestors(of: struck.keys, on: req.db)
        let parents = struckUnits.mapValues(\.parentCode)
        // A secretary sees their branch struck; the general branch sees every unit.
        let shownStruck = struck.keys.filter { unit in
            readsAll || !Set(branches).isDisjoint(with: Access.unitAndAncestors(unit, parents: parents))
        }
        let evidenceIDs = Set(records.flatMap(\.evidence) + (state.form.evidence ?? []))
        let files = try await Evidence.query(on: req.db).filter(\.$id ~~ evidenceIDs).with(\.$sheet) {
            $0.with(\.$period)
        }.all()
        let links = Dictionary(
            try files.map { file in
                (
                    try file.requireID(),
                    EvidenceLink(
                        name: file.filename,
                        href:
                            SiteURL.evidence(
                                .init(file.sheet.period.code), unit: .init(file.sheet.unitCode),
                                evidence: .init(try file.requireID())
                            ).path
                    )
                )
            }, uniquingKeysWith: { a, _ in a })
        let mayRecord = Policy.mayRecordVetoes(grants)
        let listed = try await Vetoes.listed(for: .member, on: req.db) + Vetoes.listed(for: .branch, on: req.db)
        var seen: Set<String> = []
        let vetoOptions = listed.filter { seen.insert($0.id).inserted }.sorted { $0.id < $1.id }.map {
            SelectOption(value: $0.id, label: "\($0.id) \($0.text)", selected: $0.id == state.form.veto)
        }
        let unitChoice =
            mayRecord
            ? try await unitChoice(find: find, chosen: state.form.unit, on: req.db)
            : UnitChoice(options: [], narrowed: false)
        let recorders = try await User.displayNames(of: records.map(\.recordedBy), on: req.db)
        return VetoesPage(
            chrome: try await PageChrome.make("一票否决", req), year: year, previousYear: year - 1, nextYear: year + 1,
            struck: shownStruck.sorted().map {
                "\(struckUnits[$0]?.name ?? $0)（\(struck[$0]?.joined(separator: "、") ?? "")）"
            },
            lines: records.filter { visible.contains($0.unit) }.map { record in
                Line(
                    id: record.id.uuidString, unit: record.unit, unitName: record.unitName, veto: record.veto,
                    vetoText: record.vetoText,
                    date: record.date, reason: record.reason,
                    recordedBy: recorders[record.recordedBy] ?? record.recordedBy,
                    evidence: record.evidence.compactMap { links[$0] }, withdrawn: record.withdrawn,
                    withdrawnReason: record.withdrawnReason)
            },
            mayRecord: mayRecord,
            units: unitChoice.options, unitsNarrowed: unitChoice.narrowed, find: find,
            vetoes: vetoOptions, form: state.form,
            attached: (state.form.evidence ?? []).compactMap { links[$0] },
            evidenceIDs: (state.form.evidence ?? []).map(\.uuidString),
            errors: state.errors, notice: state.notice, withdrawError: state.withdrawError)
    }
}
