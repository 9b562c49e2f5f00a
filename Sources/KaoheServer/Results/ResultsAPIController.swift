import Fluent
import KaoheCore
import Vapor

/// Publication (公布) and the published results (党团园地) with their exports.
struct ResultsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let period = routes.grouped("periods", ":period")
        period.post("publish", use: publish)
        period.get("results", use: results)
        // The same files the 党团园地 page offers.
        period.get("results.csv", use: Results.csv)
        period.get("results.xlsx", use: Results.xlsx)
    }

    /// The general branch's organizer publishes once every branch's sheet is approved.
    func publish(req: Request) async throws -> SheetsAPIController.PeriodDTO {
        let user = try req.auth.require(User.self)
        let period = try await SheetLookup.period(req)
        try await Sheets.publish(period, by: user, today: BureauCalendar.today(), on: req.db)
        try await period.$branchRubric.load(on: req.db)
        return SheetsAPIController.dto(period)
    }

    /// `?level=group` or `member` gives the reported (备案) results of the levels below; `?limit=&offset=` a page.
    /// The whole of the branches' results is sent as stored at publication, without reading it: it is the same for
    /// every reader, and gzip (kept beside it) goes to every client that accepts it.
    func results(req: Request) async throws -> Response {
        let page = try ListPage(req)
        let level = try Results.level(req)
        if level == .branch, page.isWhole {
            let period = try await SheetLookup.period(req)
            let kept = try await Self.kept(of: period, on: req.db)
            var headers = HTTPHeaders()
            headers.contentType = .json
            headers.replaceOrAdd(name: .vary, value: "Accept-Encoding")
            if let gzip = kept.gzip, Gzip.isAccepted(by: req) {
                headers.replaceOrAdd(name: .contentEncoding, value: "gzip")
                return Response(status: .ok, headers: headers, body: .init(buffer: gzip))
            }
            return Response(status: .ok, headers: headers, body: .init(buffer: kept.json))
        }
        if level != .branch {
            // A page of a filed level is read a page at a time, never the level whole.
            let period = try await SheetLookup.period(req)
            let scope = try await FiledResults.scope(
                of: try await Access.roles(of: try req.auth.require(User.self), on: req.db), on: req.db)
            let filed = try await FiledResults.page(
                of: period, level: level, scope: scope, limit: page.limit, offset: page.offset, on: req.db)
            if filed.isEmpty, page.offset == 0,
                try await FiledResults.count(of: period, level: level, scope: nil, on: req.db) == 0
            {
                throw Results.notPublished(period)
            }
            return try await filed.encodeResponse(for: req)
        }
        return try await page.apply(Results.requestedRows(req).rows).encodeResponse(for: req)
    }

    /// The branches' rows as kept, as the bytes a response sends, held once per kept version (`sent`): a reader
    /// costs one narrow query, not 650 KB read from the database.
    struct Kept: Sendable {
        let json: ByteBuffer
        let gzip: ByteBuffer?
    }

    static let sent = StoredResults.Versions<Kept>()

    static func kept(of period: Period, on db: any Database) async throws -> Kept {
        guard
            let kept = try await Results.held(
                sent, of: period, on: db,
                {
                    Kept(json: ByteBuffer(string: $0.rows), gzip: $0.rowsGzip.map { ByteBuffer(bytes: $0) })
                })
        else { throw Results.notPublished(period) }
        return kept
    }
}
