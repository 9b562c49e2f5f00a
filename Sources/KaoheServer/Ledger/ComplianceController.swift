import Vapor

/// 台账对照 in the browser, with the API's exports; the roles are checked by `Compliance.requested`.
struct ComplianceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.compliance, use: page)
        routes.get(.complianceCSV, use: Compliance.csv)
        routes.get(.complianceXLSX, use: Compliance.xlsx)
    }

    func page(req: Request) async throws -> View {
        try await req.view.render("compliance", CompliancePage.query(req))
    }
}
