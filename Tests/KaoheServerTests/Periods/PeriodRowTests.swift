import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Periods are read by hand from their rows (`Period(row:)`), not through Fluent's model decoding: every column
    /// must come back as Fluent reads it, on both databases, published or not.
    @Suite struct PeriodRowTests {
        @Test func aPeriodReadByHandIsTheModelFluentReads() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                func json(_ periods: [Period]) throws -> String {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = .sortedKeys
                    encoder.dateEncodingStrategy = .secondsSince1970
                    return String(decoding: try encoder.encode(periods), as: UTF8.self)
                }
                // A published quarter beside the demo's open one, every column set.
                let open = try #require(try await Period.query(on: app.db).first())
                let published = Period()
                (published.code, published.year, published.quarter, published.state) = ("2025Q4", 2025, 4, .published)
                (published.selfDeadline, published.panelDeadline) = ("2026-01-05", "2026-01-15")
                published.$branchRubric.id = open.$branchRubric.id
                (published.$groupRubric.id, published.$memberRubric.id) = (open.$branchRubric.id, open.$branchRubric.id)
                (published.createdBy, published.publishedAt, published.publishedOn) = ("zuzhi", Date(), "2026-01-20")
                try await published.save(on: app.db)
                let byFluent = try await Period.query(on: app.db).sort(\.$year, .descending)
                    .sort(\.$quarter, .descending).all()
                let byHand = try await Period.newestFirst(on: app.db)
                #expect(byFluent.count > 1)
                #expect(byFluent.contains { $0.publishedAt != nil } && byFluent.contains { $0.publishedAt == nil })
                #expect(byHand.map(\.code) == byFluent.map(\.code))
                #expect(try json(byHand) == json(byFluent))
                #expect(byHand.allSatisfy { $0.$id.exists }, "read, so stored: a save updates it")
            }
        }
    }
}
