import KaoheCore
import Vapor

/// `GET`/`PUT /api/v1/settings/ledger` (api.md, guard rails): 台账启用日. Anyone signed in reads it (a secretary
/// sees from when their ledger counts); only the organizer sets it (`Policy.requireLedgerStarter`).
struct LedgerStartAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let settings = routes.grouped("settings", "ledger")
        settings.get(use: read)
        settings.put(use: change)
    }

    func read(req: Request) async throws -> LedgerStart.Setting {
        try await LedgerStart.setting(on: req.db)
    }

    /// `{"startsOn":"2026-01-01"}` sets it, `{"startsOn":null}` clears it; a body without `startsOn` is 422 naming
    /// it, so that an empty body never clears the day by accident.
    struct Change: Decodable {
        let startsOn: String?

        enum CodingKeys: String, CodingKey { case startsOn }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard container.contains(.startsOn) else {
                throw ValidationProblem(
                    field: "startsOn", rule: "请写明台账启用日，如 2026-01-01；清除写 null (startsOn is required)")
            }
            startsOn = try container.decodeIfPresent(String.self, forKey: .startsOn)
        }
    }

    func change(req: Request) async throws -> LedgerStart.Setting {
        let user = try req.auth.require(User.self)
        try await Policy.requireLedgerStarter(user, on: req.db)
        let change = try req.content.decode(Change.self)
        let day = try LedgerStart.parse(change.startsOn, today: BureauCalendar.today())
        return try await LedgerStart.set(day, by: user, on: req.db)
    }
}
