import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// A quarter after the current one is a slip of the keyboard that would stand in every list: refused naming
    /// `quarter`, on the API and on the page, and nothing is created.
    @Suite struct FutureQuarterTests {
        @Test func aQuarterAfterTheCurrentOneIsRefusedNamingTheQuarter() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let next = try #require(Quarter(of: BureauCalendar.today())).next
                let refused = try await api.call(.POST, "/api/v1/periods", as: "zuzhi", json: ["quarter": next.code])
                #expect(refused.status == .unprocessableEntity && refused.body.string.contains("quarter"))
                let typo = try await api.call(.POST, "/api/v1/periods", as: "zuzhi", json: ["quarter": "2099Q1"])
                #expect(typo.status == .unprocessableEntity)
                let browser = try await Browser.signedIn(app, "zuzhi", on: "/periods")
                let page = try await browser.post("/periods", form: ["quarter": "2099Q1"])
                #expect(page.status == .unprocessableEntity && page.body.string.contains("只能建立本季度"))
                let created = try await Period.query(on: app.db).filter(\.$year >= next.year).all()
                    .filter { (Quarter(code: $0.code) ?? next) >= next }
                #expect(created.isEmpty)
            }
        }
    }
}
