import Fluent
import KaoheCore
import Vapor

/// 荣誉证书 (办法 七(三)): one A4 page per award, the bureau's name, the year, the title and a place for the seal.
struct CertificatesPage: Encodable {
    struct Certificate: Encodable {
        let unit: String
        let name: String
        /// 机关第一党支部第一党小组 for a member: where the member belongs.
        let belongsTo: String?
        let title: String
        let decidedOn: String
        /// 二〇二六年十二月五日: the 成文日期 as the certificate prints it.
        var writtenOn: String { CalendarDay(decidedOn)?.written ?? decidedOn }

        enum CodingKeys: String, CodingKey { case unit, name, belongsTo, title, decidedOn, writtenOn }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(unit, forKey: .unit)
            try c.encode(name, forKey: .name)
            try c.encodeIfPresent(belongsTo, forKey: .belongsTo)
            try c.encode(title, forKey: .title)
            try c.encode(decidedOn, forKey: .decidedOn)
            try c.encode(writtenOn, forKey: .writtenOn)
        }
    }

    let year: Int
    let issuer: String
    let certificates: [Certificate]

    init(year: Int, certificates: [Certificate], on db: any Database) async throws {
        self.year = year
        self.certificates = certificates
        issuer = try await Letterhead.current(on: db).issuer
    }

    /// The year's awards, branches first, from the 党总支综合评定 of each level.
    static func awards(year: Int, on db: any Database) async throws -> [Certificate] {
        let decisions = try await AnnualDecision.query(on: db).filter(\.$year == year).all()
        let units = try await Unit.query(on: db).filter(\.$code ~~ Set(decisions.flatMap(\.awardedUnits))).all()
        let byCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let parents = try await Unit.names(of: units.compactMap(\.parentCode), on: db)
        return Selection.levels.flatMap { level in
            decisions.filter { $0.level == level }.flatMap { decision in
                decision.awardedUnits.compactMap { code -> Certificate? in
                    guard let unit = byCode[code] else { return nil }
                    return Certificate(
                        unit: code, name: unit.name,
                        belongsTo: level == .branch ? nil : unit.parentCode.flatMap { parents[$0] },
                        title: Selection.title(of: level), decidedOn: decision.decidedOn)
                }
            }
        }
    }
}
