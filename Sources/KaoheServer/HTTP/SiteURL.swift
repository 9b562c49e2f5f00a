import Foundation
import LeafKit
import Vapor

/// Every page's address, written once: the route that answers it is registered from `pathComponents`
/// (`.key` in place of each value) and every link and redirect to it is built from `path` (`.value(…)`), as
/// SwiftPackageIndex-Server's `SiteURL` does. A route renamed here moves its links with it; `LinksTests` follows
/// every link of every page for every demo role and finds none that leads nowhere.
enum SiteURL: Sendable {
    case home
    case login
    case logout
    case password

    case periods
    case period(Parameter)
    case approval(Parameter)
    /// 备案 of the group and member sheets in one step.
    case filing(Parameter)
    case sheet(Parameter, unit: Parameter)
    case feedback(Parameter, unit: Parameter)
    case evidence(Parameter, unit: Parameter, evidence: Parameter)

    case results(Parameter)
    case resultsNotice(Parameter)
    case resultsCSV(Parameter)
    case resultsXLSX(Parameter)
    /// The papers as Word documents (`Papers`), beside each print.
    case resultsNoticeWord(Parameter)
    case penaltiesWord(Parameter)
    case sheetWord(Parameter, unit: Parameter)
    case certificatesWord(Parameter)
    case selectionWord(Parameter)
    case penalties(Parameter)
    case penaltiesPrint(Parameter)
    case penaltiesCSV(Parameter)
    case penaltiesXLSX(Parameter)

    case ledger(Parameter)
    case ledgerDocumentFile(Parameter, document: Parameter)
    case compliance
    case complianceCSV
    case complianceXLSX

    case vetoes(Parameter)
    case selection(Parameter)
    case certificates(Parameter)
    case certificate(Parameter, unit: Parameter)

    case rubrics
    case rubric(Parameter, number: Parameter)
    case rubricYAML(Parameter, number: Parameter)

    case org
    case orgUnit(Parameter)
    /// A unit's whole history, for those who read its ledger; a member's page for everyone above them.
    case unitRecord(Parameter)
    /// 年度评议与测评: a branch's or group's yearly facts.
    case facts(Parameter)
    case search
    case users
    case audit

    /// A path parameter: `.key` where the route is registered, `.value` where a link is built.
    enum Parameter: Sendable, ExpressibleByStringLiteral {
        case key
        case value(String)

        init(stringLiteral value: String) { self = .value(value) }
        init(_ value: some CustomStringConvertible) { self = .value(value.description) }
    }

    private enum Segment {
        case constant(String)
        case parameter(String, Parameter)
    }

    private var segments: [Segment] {
        switch self {
        case .home: []
        case .login: [.constant("login")]
        case .logout: [.constant("logout")]
        case .password: [.constant("account"), .constant("password")]
        case .periods: [.constant("periods")]
        case .period(let period): [.constant("periods"), .parameter("period", period)]
        case .approval(let period): Self.period(period).segments + [.constant("approval")]
        case .filing(let period): Self.period(period).segments + [.constant("filing")]
        case .sheet(let period, let unit):
            Self.period(period).segments + [.constant("sheets"), .parameter("unit", unit)]
        case .feedback(let period, let unit): Self.sheet(period, unit: unit).segments + [.constant("feedback")]
        case .evidence(let period, let unit, let evidence):
            Self.sheet(period, unit: unit).segments + [.constant("evidence"), .parameter("evidence", evidence)]
        case .results(let period): Self.period(period).segments + [.constant("results")]
        case .resultsNotice(let period): Self.results(period).segments + [.constant("notice")]
        case .resultsCSV(let period): Self.period(period).segments + [.constant("results.csv")]
        case .resultsXLSX(let period): Self.period(period).segments + [.constant("results.xlsx")]
        case .penalties(let period): Self.period(period).segments + [.constant("penalties")]
        case .resultsNoticeWord(let period): Self.results(period).segments + [.constant("notice.docx")]
        case .penaltiesWord(let period): Self.period(period).segments + [.constant("penalties.docx")]
        case .sheetWord(let period, let unit): Self.sheet(period, unit: unit).segments + [.constant("document.docx")]
        case .certificatesWord(let year):
            [.constant("years"), .parameter("year", year), .constant("certificates.docx")]
        case .selectionWord(let year): [.constant("years"), .parameter("year", year), .constant("selection.docx")]
        case .penaltiesPrint(let period): Self.penalties(period).segments + [.constant("print")]
        case .penaltiesCSV(let period): Self.period(period).segments + [.constant("penalties.csv")]
        case .penaltiesXLSX(let period): Self.period(period).segments + [.constant("penalties.xlsx")]
        case .ledger(let unit): [.constant("units"), .parameter("unit", unit), .constant("ledger")]
        case .ledgerDocumentFile(let unit, let document):
            Self.ledger(unit).segments + [.constant("documents"), .parameter("document", document), .constant("file")]
        case .compliance: [.constant("compliance")]
        case .complianceCSV: [.constant("compliance.csv")]
        case .complianceXLSX: [.constant("compliance.xlsx")]
        case .vetoes(let year): [.constant("years"), .parameter("year", year), .constant("vetoes")]
        case .selection(let year): [.constant("years"), .parameter("year", year), .constant("selection")]
        case .certificates(let year): [.constant("years"), .parameter("year", year), .constant("certificates")]
        case .certificate(let year, let unit): Self.certificates(year).segments + [.parameter("unit", unit)]
        case .rubrics: [.constant("rubrics")]
        case .rubric(let key, let number): [.constant("rubrics"), .parameter("key", key), .parameter("number", number)]
        case .rubricYAML(let key, let number): Self.rubric(key, number: number).segments + [.constant("yaml")]
        case .org: [.constant("admin"), .constant("org")]
        case .orgUnit(let code): Self.org.segments + [.constant("units"), .parameter("code", code)]
        case .unitRecord(let unit): [.constant("units"), .parameter("unit", unit), .constant("record")]
        case .facts(let unit): [.constant("units"), .parameter("unit", unit), .constant("facts")]
        case .search: [.constant("search")]
        case .users: [.constant("admin"), .constant("users")]
        case .audit: [.constant("audit")]
        }
    }

    /// What the route is registered at: `periods/:period/sheets/:unit`.
    var pathComponents: [PathComponent] {
        segments.map { segment in
            switch segment {
            case .constant(let name): .constant(name)
            case .parameter(let name, _): .parameter(name)
            }
        }
    }

    /// The address a link or a redirect uses: `/periods/2026Q3/sheets/branch-1`, each value escaped for a path.
    var path: String {
        "/"
            + segments.map { segment in
                switch segment {
                case .constant(let name):
                    return name
                case .parameter(let name, .key):
                    preconditionFailure("a link to \(self) needs a value for :\(name)")
                case .parameter(_, .value(let value)):
                    return Self.encoded(value, allowing: Self.segmentCharacters)
                }
            }.joined(separator: "/")
    }

    /// The address with a query (`?year=2026&level=group`, items without a value left out) and a fragment.
    func path(query: KeyValuePairs<String, String?> = [:], fragment: String? = nil) -> String {
        let items = query.compactMap { key, value in
            value.map { "\(key)=\(Self.encoded($0, allowing: Self.queryValueCharacters))" }
        }
        return (items.isEmpty ? path : path + "?" + items.joined(separator: "&")) + (fragment.map { "#" + $0 } ?? "")
    }

    /// Percent-encoded; a value of only unreserved characters (a unit's code, a quarter, a year) is already, and
    /// Foundation's encoder was a tenth of the dashboard's rows.
    private static func encoded(_ value: String, allowing allowed: CharacterSet) -> String {
        let unreserved = value.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
        }
        return unreserved ? value : value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    private static let segmentCharacters = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
    private static let queryValueCharacters = CharacterSet.urlQueryAllowed.subtracting(
        CharacterSet(charactersIn: "&=+#"))
}

extension Request {
    /// A 303 to a page, after a form is taken: the browser then GETs it.
    func redirect(to url: SiteURL, query: KeyValuePairs<String, String?> = [:], fragment: String? = nil) -> Response {
        redirect(to: url.path(query: query, fragment: fragment))
    }
}

extension RoutesBuilder {
    /// `routes.get(.sheet(.key, unit: .key), use: page)`: the page's route, registered from its `SiteURL`.
    @discardableResult
    func get<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        get(url.pathComponents, use: closure)
    }

    /// A form's route at its page's own address.
    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        post(url.pathComponents, use: closure)
    }
}

extension SiteURL {
    /// The page a template names: `#url("sheet", period, unit)` is `.sheet(.value(period), unit: .value(unit))`.
    /// The names are the cases'; an unknown name or a wrong count of values is nil, which the tag refuses.
    static func named(_ name: String, _ values: [String]) -> SiteURL? {
        let v = values.map(Parameter.value)
        switch (name, v.count) {
        case ("home", 0): return .home
        case ("login", 0): return .login
        case ("logout", 0): return .logout
        case ("password", 0): return .password
        case ("periods", 0): return .periods
        case ("period", 1): return .period(v[0])
        case ("approval", 1): return .approval(v[0])
        case ("filing", 1): return .filing(v[0])
        case ("sheet", 2): return .sheet(v[0], unit: v[1])
        case ("feedback", 2): return .feedback(v[0], unit: v[1])
        case ("evidence", 3): return .evidence(v[0], unit: v[1], evidence: v[2])
        case ("results", 1): return .results(v[0])
        case ("resultsNotice", 1): return .resultsNotice(v[0])
        case ("resultsCSV", 1): return .resultsCSV(v[0])
        case ("resultsXLSX", 1): return .resultsXLSX(v[0])
        case ("penalties", 1): return .penalties(v[0])
        case ("resultsNoticeWord", 1): return .resultsNoticeWord(v[0])
        case ("penaltiesWord", 1): return .penaltiesWord(v[0])
        case ("sheetWord", 2): return .sheetWord(v[0], unit: v[1])
        case ("certificatesWord", 1): return .certificatesWord(v[0])
        case ("selectionWord", 1): return .selectionWord(v[0])
        case ("penaltiesPrint", 1): return .penaltiesPrint(v[0])
        case ("penaltiesCSV", 1): return .penaltiesCSV(v[0])
        case ("penaltiesXLSX", 1): return .penaltiesXLSX(v[0])
        case ("ledger", 1): return .ledger(v[0])
        case ("ledgerDocumentFile", 2): return .ledgerDocumentFile(v[0], document: v[1])
        case ("compliance", 0): return .compliance
        case ("complianceCSV", 0): return .complianceCSV
        case ("complianceXLSX", 0): return .complianceXLSX
        case ("vetoes", 1): return .vetoes(v[0])
        case ("selection", 1): return .selection(v[0])
        case ("certificates", 1): return .certificates(v[0])
        case ("certificate", 2): return .certificate(v[0], unit: v[1])
        case ("rubrics", 0): return .rubrics
        case ("rubric", 2): return .rubric(v[0], number: v[1])
        case ("rubricYAML", 2): return .rubricYAML(v[0], number: v[1])
        case ("org", 0): return .org
        case ("orgUnit", 1): return .orgUnit(v[0])
        case ("unitRecord", 1): return .unitRecord(v[0])
        case ("facts", 1): return .facts(v[0])
        case ("search", 0): return .search
        case ("users", 0): return .users
        case ("audit", 0): return .audit
        default: return nil
        }
    }
}

/// `#url("results", period)` in a template: the page's address from `SiteURL`, so that the templates' links are
/// built as the routes are registered. A name `SiteURL.named` does not know fails the render (500), which every
/// page test would see, instead of leaving a dead link.
struct SiteURLTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let name = ctx.parameters.first?.string,
            let url = SiteURL.named(name, ctx.parameters.dropFirst().map { $0.string ?? "" })
        else {
            let written = ctx.parameters.map { $0.string ?? "?" }.joined(separator: ", ")
            throw Abort(.internalServerError, reason: "#url(\(written)) names no page")
        }
        return .string(url.path)
    }
}
