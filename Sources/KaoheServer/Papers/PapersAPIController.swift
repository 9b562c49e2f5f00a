import Vapor

/// The papers an office files, as Word documents (`contracts/api.md`, "Office-ready"), and the letterhead on them.
/// Each paper checks its readers as the page it stands beside does.
struct PapersAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("settings", "letterhead", use: letterhead)
        routes.put("settings", "letterhead", use: setLetterhead)
        let period = routes.grouped("periods", ":period")
        period.get("results", "notice.docx", use: ResultsNoticePaper.download)
        period.get("penalties.docx", use: PenaltiesPaper.download)
        period.get("assessments", ":unit", "document.docx", use: SheetPaper.download)
        let year = routes.grouped("years", ":year")
        year.get("certificates", ":certificate", use: CertificatePaper.download)
        year.get("certificates.docx", use: CertificatePaper.downloadAll)
        year.get("selection.docx", use: SelectionPaper.download)
    }

    func letterhead(req: Request) async throws -> Letterhead {
        try await Letterhead.current(on: req.db)
    }

    struct LetterheadBody: Content {
        let issuer: String?
        let docNumber: String?
    }

    func setLetterhead(req: Request) async throws -> Letterhead {
        let user = try req.auth.require(User.self)
        try Policy.requireBureauRole(
            try await Access.roles(of: user, on: req.db), Policy.orgManagers,
            "只有系统管理员可以设置发文机关 (only the admin sets the letterhead)")
        let body = try req.content.decode(LetterheadBody.self)
        let checked = try Letterhead.checked(issuer: body.issuer ?? "", docNumber: body.docNumber ?? "")
        return try await Letterhead.set(checked, by: user, on: req.db)
    }
}

/// The same papers beside the pages' prints, for the signed-in browser.
struct PapersController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.resultsNoticeWord(.key), use: ResultsNoticePaper.download)
        routes.get(.penaltiesWord(.key), use: PenaltiesPaper.download)
        routes.get(.sheetWord(.key, unit: .key), use: SheetPaper.download)
        routes.get(.certificatesWord(.key), use: CertificatePaper.downloadAll)
        routes.get(.selectionWord(.key), use: SelectionPaper.download)
    }
}
