import Fluent

@testable import KaoheServer

/// The permits a test asks Policy for, as a route does, to call a service directly.
func ledgerPermit(_ username: String, _ unit: String, on db: any Database) async throws -> Permit<Rights.RecordLedger> {
    let (user, unit) = try await userAndUnit(username, unit, on: db)
    return try await Policy.ledgerRecorder(user, of: unit, on: db)
}

func duesPermit(_ username: String, _ unit: String, on db: any Database) async throws -> Permit<Rights.KeepDues> {
    let (user, unit) = try await userAndUnit(username, unit, on: db)
    return try await Policy.duesKeeper(user, of: unit, on: db)
}

private func userAndUnit(_ username: String, _ code: String, on db: any Database) async throws -> (User, Unit) {
    let user = try await User.query(on: db).filter(\.$username == username).first()
    let unit = try await Unit.query(on: db).filter(\.$code == code).first()
    guard let user, let unit else { throw PermitFixtureMissing(username: username, unit: code) }
    return (user, unit)
}

struct PermitFixtureMissing: Error {
    let username: String
    let unit: String
}
