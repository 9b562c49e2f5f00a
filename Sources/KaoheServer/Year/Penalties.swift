import Fluent
import KaoheCore
import Vapor

/// 扣奖 (办法 七(一)) of one published quarter: each branch secretary's 行政考核基数奖金, the penalty KaoheCore
/// computes from it and the published result, and the general branch's share of the mean.
enum Penalties {
    struct Document: Content {
        struct Secretary: Content {
            let unit: String
            let name: String
            /// Whoever held the unit's 支部书记 office for most of the quarter; null when nobody is recorded.
            let person: String?
            /// The result as published; null while the quarter is not.
            let total: Decimal?
            let grade: String?
            let gradeLabel: String?
            let baseBonus: Decimal
            let penalty: Decimal
            /// 办法 七(一) with this secretary's numbers, when the grade draws a penalty.
            let formula: String?
            let baseSetBy: String?
            /// ISO 8601, as every time of the API.
            let baseSetAt: String?
            /// The quarter whose base this is, when carried from an earlier one (the same secretary's, unchanged).
            let baseFrom: String?

            enum CodingKeys: String, CodingKey {
                case unit, name, person, baseFrom, total, grade, gradeLabel, baseBonus, penalty, formula, baseSetBy,
                    baseSetAt
            }

            /// Every key written, a value not there yet as `null`.
            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(unit, forKey: .unit)
                try c.encode(name, forKey: .name)
                try c.encode(person, forKey: .person)
                try c.encode(baseFrom, forKey: .baseFrom)
                try c.encode(total, forKey: .total)
                try c.encode(grade, forKey: .grade)
                try c.encode(gradeLabel, forKey: .gradeLabel)
                try c.encode(baseBonus, forKey: .baseBonus)
                try c.encode(penalty, forKey: .penalty)
                try c.encode(formula, forKey: .formula)
                try c.encode(baseSetBy, forKey: .baseSetBy)
                try c.encode(baseSetAt, forKey: .baseSetAt)
            }
        }

        struct General: Content {
            let penalty: Decimal
            let generalSecretary: Decimal
            let deputySecretary: Decimal
            /// The branches assessed, whose penalties the mean is taken over.
            let branches: Int
            let generalSecretaryShare: Decimal
            let deputySecretaryShare: Decimal
            /// Who held the 总支书记 and 副书记 offices for most of the quarter.
            let generalSecretaryPerson: String?
            let deputySecretaryPerson: String?
        }

        let period: String
        let published: Bool
        let secretaries: [Secretary]
        let general: General
    }

    /// One base as sent: the unit and the amount as the person wrote it (a number, or text from a form or a CSV).
    struct Base {
        let unit: String
        let amount: String
    }

    /// The largest base taken: far above any bonus, far below where arithmetic would lose a cent.
    static let maxAmount: Decimal = 10_000_000

    /// A base bonus: at least 0, at most two decimals, full-width digits read as digits.
    static func amount(_ text: String, field: String) throws -> Decimal {
        guard let value = InputText.decimal(text.replacingOccurrences(of: ",", with: "")) else {
            throw ValidationProblem(field: field, rule: "应为金额（元），如 6000 或 6000.50 (a number is required)")
        }
        guard value >= 0 else { throw ValidationProblem(field: field, rule: "金额不能为负数 (must not be negative)") }
        guard value <= maxAmount else {
            throw ValidationProblem(field: field, rule: "金额不能超过 \(maxAmount) 元 (too large)")
        }
        guard value.rounded(scale: 2) == value else {
            throw ValidationProblem(field: field, rule: "金额最多两位小数 (at most two decimals)")
        }
        return value
    }

    /// The organizer sets the bases of some branches: every line checked before any is written; one audit event per
    /// base changed.
    static func setBases(_ bases: [Base], of period: Period, by user: User, on db: any Database) async throws {
        try await Policy.requirePenaltyBaseSetter(user, on: db)
        let sheets = try await branchSheets(of: period, on: db)
        let byUnit = Dictionary(sheets.map { ($0.unitCode, $0) }, uniquingKeysWith: { first, _ in first })
        var amounts: [(Sheet, Decimal)] = []
        var seen: Set<String> = []
        for (index, base) in bases.enumerated() {
            guard let sheet = byUnit[base.unit] else {
                throw ValidationProblem(
                    field: "bases[\(index)].unit", rule: "\(base.unit) 不是本考核期考核的党支部 (not a branch of this quarter)")
            }
            guard seen.insert(base.unit).inserted else {
                throw ValidationProblem(field: "bases[\(index)].unit", rule: "\(base.unit) 出现了两次 (listed twice)")
            }
            amounts.append((sheet, try amount(base.amount, field: "bases[\(index)].amount (\(base.unit))")))
        }
        let changes = amounts
        try await db.writeTransaction { db in
            for (sheet, amount) in changes {
                let before = sheet.baseBonus
                guard before.flatMap({ Decimal(string: $0) }) != amount else { continue }
                sheet.baseBonus = "\(amount)"
                sheet.baseBonusBy = user.username
                sheet.baseBonusAt = Date()
                try await sheet.save(on: db)
                try await AuditLog.append(
                    on: db, actor: user.username, action: .penaltyBase,
                    subject: .sheet(period: period.code, unit: sheet.unitCode),
                    before: ["baseBonus": before ?? ""], after: ["baseBonus": "\(amount)"])
            }
        }
    }

    /// The quarter's 扣奖 sheet, every branch assessed in it, from the results as published.
    static func document(of period: Period, on db: any Database) async throws -> Document {
        let sheets = try await branchSheets(of: period, on: db)
        let names = try await Unit.names(of: sheets.map(\.unitCode), on: db)
        let quarter = Quarter(year: period.year, quarter: period.quarter)!
        let secretaries = try await Offices.holders(
            of: .branchSecretary, on: sheets.map(\.unitCode), in: quarter, on: db)
        let bases = try await carriedBases(into: sheets, of: period, secretaries: secretaries, on: db)
        let general = (
            try await Offices.holders(of: .approver, on: [OrgTree.rootCode], in: quarter, on: db)[OrgTree.rootCode],
            try await Offices.holders(of: .deputySecretary, on: [OrgTree.rootCode], in: quarter, on: db)[
                OrgTree.rootCode]
        )
        let rubric = try await RubricStore.rubric(id: period.$branchRubric.id, on: db)
        let policy = rubric.penalty
        var unrounded: [Decimal] = []
        var lines: [Document.Secretary] = []
        for sheet in sheets {
            let carried = bases[sheet.unitCode]
            let base = sheet.baseBonus.flatMap { Decimal(string: $0) } ?? carried?.amount ?? 0
            var total: Decimal?, grade: String?, label: String?, penalty: Decimal = 0
            if sheet.state == .published {
                // Scored from its entries, exactly as `kaohe score` scores them.
                let score = try Sheets.score(sheet, entries: try await sheet.entries(on: db).all(), rubric: rubric)
                (total, grade, label, penalty) = (
                    score.total, score.grade.key, score.grade.label, score.unroundedPenalty
                )
            } else if let report = try await Sheets.publishedReport(of: sheet, on: db) {
                // Re-reviewed after an objection: the result as published holds until the new one is.
                (total, grade, label) = (report.total, report.grade, report.gradeLabel)
                penalty = policy?.secretaryPenalty(total: report.total, grade: report.grade, baseBonus: base) ?? 0
            }
            if total != nil { unrounded.append(penalty) }
            lines.append(
                .init(
                    unit: sheet.unitCode, name: names[sheet.unitCode] ?? sheet.unitCode,
                    person: secretaries[sheet.unitCode]?.displayName,
                    total: total.map { $0.rounded(scale: 2) }, grade: grade, gradeLabel: label, baseBonus: base,
                    penalty: penalty.rounded(scale: 2),
                    formula: total.flatMap { total in
                        grade.flatMap { policy?.formula(total: total, grade: $0, baseBonus: base) }
                    },
                    baseSetBy: sheet.baseBonus == nil ? carried?.sheet.baseBonusBy : sheet.baseBonusBy,
                    baseSetAt: (sheet.baseBonus == nil ? carried?.sheet.baseBonusAt : sheet.baseBonusAt).map {
                        ISO8601DateFormatter().string(from: $0)
                    },
                    baseFrom: sheet.baseBonus == nil ? carried?.period : nil))
        }
        let share = GeneralBranchPenalty(unroundedPenalties: unrounded, policy: policy)
        return Document(
            period: period.code, published: period.publishedOn != nil, secretaries: lines,
            general: .init(
                penalty: share.penalty, generalSecretary: share.generalSecretary,
                deputySecretary: share.deputySecretary, branches: unrounded.count,
                generalSecretaryShare: policy?.generalSecretaryShare ?? 0,
                deputySecretaryShare: policy?.deputySecretaryShare ?? 0,
                generalSecretaryPerson: general.0?.displayName, deputySecretaryPerson: general.1?.displayName))
    }

    /// A base entered once carries to the next quarters until changed, while the same person holds the office: for
    /// each sheet with none, the latest earlier quarter's base of its unit, when that quarter's secretary is this one's.
    static func carriedBases(
        into sheets: [Sheet], of period: Period, secretaries: [String: User], on db: any Database
    ) async throws -> [String: (amount: Decimal, sheet: Sheet, period: String)] {
        let wanting = sheets.filter { $0.baseBonus == nil }.map(\.unitCode)
        guard !wanting.isEmpty else { return [:] }
        let earlier = try await Period.query(on: db).group(.or) {
            $0.filter(\.$year < period.year).group(.and) {
                $0.filter(\.$year == period.year).filter(\.$quarter < period.quarter)
            }
        }.all()
        let codes = Dictionary(try earlier.map { (try $0.requireID(), $0) }, uniquingKeysWith: { a, _ in a })
        let based = try await Sheet.query(on: db).filter(\.$period.$id ~~ Array(codes.keys)).filter(
            \.$unitCode ~~ wanting
        )
        .filter(\.$baseBonus != nil).all()
        var carried: [String: (amount: Decimal, sheet: Sheet, period: String)] = [:]
        for (unit, kept) in Dictionary(grouping: based, by: \.unitCode) {
            guard
                let latest = kept.max(by: { codes[$0.$period.id]!.code < codes[$1.$period.id]!.code }),
                let then = codes[latest.$period.id], let amount = latest.baseBonus.flatMap({ Decimal(string: $0) })
            else { continue }
            let holder = try await Offices.holders(
                of: .branchSecretary, on: [unit], in: Quarter(year: then.year, quarter: then.quarter)!, on: db)[unit]
            guard holder?.id == secretaries[unit]?.id else { continue }
            carried[unit] = (amount, latest, then.code)
        }
        return carried
    }

    static func branchSheets(of period: Period, on db: any Database) async throws -> [Sheet] {
        try await Sheet.query(on: db).filter(\.$period.$id == period.requireID())
            .filter(\.$level == Unit.Kind.branch).sort(\.$unitCode).all()
    }

    /// The finance office's table: one row per secretary, then the general branch's.
    static func table(_ document: Document) -> ExportTable {
        // The person whose bonus is cut, by name, before any code; the code last for whoever joins the table.
        let header = ["党支部", "支部书记", "考核总分", "等级", "行政考核基数奖金（元）", "扣奖计算", "扣奖（元）", "组织代码"]
        var rows: [[ExportCell]] = document.secretaries.map { line in
            [
                .text(line.name), .text(line.person ?? "—"),
                line.total.map { .number($0) } ?? .text("未公布"),
                .text(line.gradeLabel ?? "—"),
                .number(line.baseBonus), .text(line.formula ?? "不扣奖"), .number(line.penalty), .text(line.unit),
            ]
        }
        let general = document.general
        rows.append([
            .text("党总支（\(general.branches) 个支部扣奖的平均数）"), .empty, .empty, .empty, .empty, .empty,
            .number(general.penalty), .text(OrgTree.rootCode),
        ])
        rows.append([
            .text("其中 总支书记（\(general.generalSecretaryShare * 100)%）"),
            .text(general.generalSecretaryPerson ?? "—"), .empty, .empty, .empty, .empty,
            .number(general.generalSecretary), .empty,
        ])
        rows.append([
            .text("其中 副书记（\(general.deputySecretaryShare * 100)%）"),
            .text(general.deputySecretaryPerson ?? "—"), .empty, .empty, .empty, .empty,
            .number(general.deputySecretary), .empty,
        ])
        let label = Quarter(code: document.period)?.label ?? document.period
        return ExportTable(
            sheetName: "\(document.period) 扣奖", header: header, rows: rows, title: "\(label)党支部书记扣奖明细")
    }
}

extension Penalties {
    /// `penalties.csv` and `.xlsx`, for the API and the page alike.
    @Sendable static func csv(req: Request) async throws -> Response {
        let document = try await publishedDocument(req)
        return Download.csv(table(document), named: "\(document.period)扣奖")
    }

    @Sendable static func xlsx(req: Request) async throws -> Response {
        let document = try await publishedDocument(req)
        return try Download.xlsx(table(document), named: "\(document.period)扣奖")
    }

    /// The whole sheet, for the general branch's roles once the quarter is published (403 for others, 409 before).
    static func publishedDocument(_ req: Request) async throws -> Penalties.Document {
        let user = try req.auth.require(User.self)
        try await Policy.requireGeneralBranch(
            user, on: req.db, "扣奖表由党总支查看 (the general branch's roles read the penalties)")
        let period = try await SheetLookup.period(req)
        guard period.publishedOn != nil else {
            throw Abort(.conflict, reason: "\(period.code) 的考核结果尚未公布，公布后才计算扣奖 (not published yet)")
        }
        return try await document(of: period, on: req.db)
    }
}
