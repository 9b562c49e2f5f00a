import Testing
import Vapor

@testable import KaoheServer

/// One enum builds a page's route and every link to it.
@Suite struct SiteURLTests {
    @Test func aLinkIsTheRouteWithItsValues() {
        let sheet = SiteURL.sheet("2026Q3", unit: "branch-1")
        #expect(sheet.path == "/periods/2026Q3/sheets/branch-1")
        #expect(SiteURL.sheet(.key, unit: .key).pathComponents.string == "periods/:period/sheets/:unit")
        #expect(SiteURL.home.path == "/" && SiteURL.home.pathComponents.isEmpty)
        #expect(SiteURL.rubricYAML("bureau-branch", number: .init(3)).path == "/rubrics/bureau-branch/3/yaml")
    }

    @Test func valuesAreEscapedAndAQueryLeavesOutWhatIsAbsent() {
        #expect(SiteURL.ledger("a/b?c").path == "/units/a%2Fb%3Fc/ledger")
        let dues = SiteURL.ledger("branch-2").path(query: ["year": "2026", "month": nil], fragment: "dues")
        #expect(dues == "/units/branch-2/ledger?year=2026#dues")
        #expect(SiteURL.vetoes(.init(2026)).path(query: ["unit": "x&y=z"]) == "/years/2026/vetoes?unit=x%26y%3Dz")
    }

    @Test func aTemplateNamesAPageByItsCaseAndAnUnknownNameIsRefused() {
        #expect(SiteURL.named("feedback", ["2026Q3", "branch-1"])?.path == "/periods/2026Q3/sheets/branch-1/feedback")
        #expect(SiteURL.named("feedback", ["2026Q3"]) == nil, "a value missing")
        #expect(SiteURL.named("feedbacks", ["2026Q3", "branch-1"]) == nil, "no such page")
    }
}
