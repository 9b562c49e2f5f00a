import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting
import ZIPFoundation

@testable import KaoheServer

extension ServerTests {
    /// Issue 12: what a city's bureau system needs of lists, the board and the results, on a generated bureau of
    /// sixty branches (more than a page of the board).
    @Suite struct ScaleTests {
        static func generated(_ test: (Application) async throws -> Void) async throws {
            try await withKaohe { app in
                _ = try await SyntheticBureau(
                    shape: BureauShape(branches: 60, groupsPerBranch: 2, membersPerGroup: 2),
                    progress: { _ in }
                ).generate(on: app)
                try await test(app)
            }
        }

        struct Line: Content { let unit: String; let rank: Int; let total: Decimal }
        struct UnitLine: Content { let code: String }

        @Test func aListTakesLimitAndOffsetAndIsWholeWithoutThem() async throws {
            try await Self.generated { app in
                var api = QuarterAPI(app)
                let whole = try await api.call(.GET, "/api/v1/units", as: "zuzhi").content.decode([UnitLine].self)
                #expect(whole.count == 421, "the general branch, 60 branches, 120 groups, 240 members")
                let page = try await api.call(.GET, "/api/v1/units?limit=5&offset=1", as: "zuzhi").content.decode(
                    [UnitLine].self)
                #expect(page.map(\.code) == whole.dropFirst().prefix(5).map(\.code))
                api.period = "2026Q1"
                let results = try await api.call(.GET, "results", as: "zhibu-7").content.decode([Line].self)
                #expect(results.count == 60)
                let tail = try await api.call(.GET, "results?limit=10&offset=55", as: "zhibu-7").content.decode(
                    [Line].self)
                #expect(tail.map(\.unit) == results.suffix(5).map(\.unit))
                for bad in ["limit=0", "limit=abc", "offset=-1", "limit=1001"] {
                    let refused = try await api.call(.GET, "results?\(bad)", as: "zhibu-7")
                    #expect(refused.status == .unprocessableEntity, "\(bad)")
                    #expect(refused.body.string.contains(bad.components(separatedBy: "=")[0]), "the field is named")
                }
            }
        }

        @Test func theBoardOfManyBranchesOpensAtItsFirstPageAndFindsAUnit() async throws {
            try await Self.generated { app in
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q2/results")
                let first = try await organizer.get("/periods/2026Q2/results").body.string
                #expect(first.components(separatedBy: "<figure class=\"radar\">").count - 1 == ResultsPage.Board.size)
                #expect(first.contains("第 1/2 页"))
                #expect(first.contains("href=\"/periods/2026Q2/results?page=2\""))
                let second = try await organizer.get("/periods/2026Q2/results?page=2").body.string
                #expect(second.components(separatedBy: "<figure class=\"radar\">").count - 1 == 10)
                let query = "第7党支部".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                let found = try await organizer.get("/periods/2026Q2/results?q=\(query)").body.string
                #expect(found.components(separatedBy: "<figure class=\"radar\">").count - 1 == 1)
                #expect(found.contains("第7党支部"))
            }
        }

        @Test func theDashboardListsAPageOfBranchesWithTheQuartersProgress() async throws {
            try await Self.generated { app in
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q4")
                let page = try await organizer.get("/periods/2026Q4").body.string
                #expect(page.contains("id=\"progress\""))
                #expect(page.contains("自查中 60"), "every branch counted in the bar")
                #expect(page.components(separatedBy: "<tr id=\"sheet-branch-").count - 1 == ResultsPage.Board.size)
                #expect(page.contains("党小组和党员考核表超过 300 张"), "too many to list: one branch's at a time")
                let one = try await organizer.get("/periods/2026Q4?branch=branch-7").body.string
                #expect(one.contains("id=\"sheet-branch-7-group-2-member-2\""))
                #expect(!one.contains("id=\"sheet-branch-8-group-1\""))
                let secretary = try await Browser.signedIn(app, "zhibu-7", on: "/periods/2026Q4")
                let own = try await secretary.get("/periods/2026Q4").body.string
                #expect(
                    own.contains("id=\"sheet-branch-7-group-1\""), "a secretary sees the branch's groups and members")
                #expect(!own.contains("id=\"sheet-branch-8\""), "and no other branch's drafts")
                #expect(own.contains("自查中 1</span>"), "and counts only its own in the bar")
                // A published quarter is everyone's: the secretary's board then pages all sixty, and finds one by name.
                let published = try await secretary.get("/periods/2026Q3").body.string
                #expect(
                    published.components(separatedBy: "<tr id=\"sheet-branch-").count - 1 == ResultsPage.Board.size + 6,
                    "a page of branches, then the branch's own 2 groups and 4 members")
                let searched = try await organizer.get("/periods/2026Q4?q=branch-17").body.string
                #expect(searched.contains("id=\"sheet-branch-17\""))
                #expect(searched.components(separatedBy: "<tr id=\"sheet-branch-").count - 1 == 1)
            }
        }

        /// The database pages the branches as the tree orders them: a sheet whose unit is gone first, then by place,
        /// then by code; a search finds the gone one by its code; and a page boundary loses and repeats none.
        @Test func theDashboardPagesInTheTreesOrderWithAGoneUnitFirst() async throws {
            try await Self.generated { app in
                try await Unit.query(on: app.db).filter(\.$code == "branch-60").set(\.$sortOrder, to: 0).update()
                try await Unit.query(on: app.db).filter(\.$code == "branch-5").delete()
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/periods/2026Q4")
                func rows(_ path: String) async throws -> [String] {
                    let page = try await organizer.get(path).body.string
                    return page.components(separatedBy: "<tr id=\"sheet-").dropFirst().map {
                        String($0.prefix { $0 != "\"" })
                    }
                }
                let first = try await rows("/periods/2026Q4"), second = try await rows("/periods/2026Q4?page=2")
                #expect(Array(first.prefix(3)) == ["branch-5", "branch-60", "branch-1"])
                #expect(first.count == 50 && second.count == 10)
                let everyBranch = (1...60).map { "branch-\($0)" }
                #expect(Set(first + second) == Set(everyBranch) && (first + second).count == 60, "each once")
                #expect(second.last == "branch-59")
                let found = try await rows("/periods/2026Q4?q=branch-5")
                #expect(
                    found == [
                        "branch-5", "branch-50", "branch-51", "branch-52", "branch-53", "branch-54", "branch-55",
                        "branch-56", "branch-57", "branch-58", "branch-59",
                    ])
            }
        }

        /// The start page says what waits, by step when a whole quarter waits, without reading every sheet.
        @Test func theStartPageCountsWhatWaitsForTheGeneralBranch() async throws {
            try await Self.generated { app in
                let q4 = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q4").first())
                try await Sheet.query(on: app.db).filter(\.$period.$id == q4.requireID()).filter(\.$level == .branch)
                    .set(\.$state, to: .submitted).update()
                try await Sheet.query(on: app.db).filter(\.$period.$id == q4.requireID()).filter(
                    \.$unitCode == "branch-3-group-1"
                )
                .set(\.$state, to: .underReview).update()
                let organizer = try await Browser.signedIn(app, "zuzhi", on: "/")
                let home = try await organizer.get("/").body.string
                #expect(home.contains("60 张党支部考核表"))
                #expect(home.contains("转交"))
                let secretary = try await Browser.signedIn(app, "zhibu-3", on: "/")
                let own = try await secretary.get("/").body.string
                #expect(own.contains("第3党支部第1党小组"), "the branch assesses its groups, sheet by sheet")
                #expect(!own.contains("张党支部考核表"))
            }
        }

        /// 公布 fixes the results: what is read afterwards is what was stored, not a new scoring of the sheets.
        @Test func publishedResultsAreServedAsStored() async throws {
            try await Self.generated { app in
                var api = QuarterAPI(app)
                api.period = "2026Q3"
                let before = try await api.call(.GET, "results", as: "zuzhi").body.string
                let sheet = try #require(
                    try await Sheet.query(on: app.db).filter(\.$unitCode == "branch-1")
                        .join(Period.self, on: \Sheet.$period.$id == \Period.$id).filter(
                            Period.self, \.$code == "2026Q3"
                        ).first())
                sheet.publishedScore = nil  // a sheet whose snapshot is gone would score afresh
                try await sheet.save(on: app.db)
                try await SheetEntry(
                    Entry(rule: "2.1.a", count: 3, note: "改动"), details: .init(), on: sheet,
                    stage: .panel, actor: "test"
                ).create(on: app.db)
                let after = try await api.call(.GET, "results", as: "zuzhi").body.string
                #expect(after == before)
            }
        }

        /// A unit's new name reaches the results kept for its level, JSON and gzip alike; no other row changes.
        @Test func aRenamedBranchIsNamedAnewInTheKeptResults() async throws {
            try await Self.generated { app in
                func kept(_ code: String) async throws -> StoredResults {
                    try #require(
                        try await StoredResults.query(on: app.db).join(parent: \.$period)
                            .filter(Period.self, \.$code == code).filter(\.$level == .branch).first())
                }
                let before = try await kept("2026Q2").decoded()
                let gzipBefore = try await kept("2026Q2").rowsGzip
                try await OrgTree.update(
                    "branch-7", name: "机关第七党支部（新）", position: nil, joinedOn: nil, midLevel: false,
                    actor: "admin", on: app.db)
                let after = try await kept("2026Q2")
                let rows = try after.decoded()
                #expect(rows.first { $0.unit == "branch-7" }?.name == "机关第七党支部（新）")
                #expect(rows.filter { $0.unit != "branch-7" } == before.filter { $0.unit != "branch-7" })
                #expect(after.rowsGzip != gzipBefore, "the gzip is kept again with the JSON")
            }
        }

        /// The stored results go out as gzip, compressed once when stored, to a client that accepts it: the same
        /// JSON in a tenth of the bytes; to a client that does not (or says q=0), as plain JSON.
        @Test func aClientThatTakesGzipGetsTheSameResultsCompressedOnce() async throws {
            try await Self.generated { app in
                var api = QuarterAPI(app)
                let token = try await api.token("zuzhi")
                func results(_ acceptEncoding: String?) async throws -> (encoding: String?, body: Data) {
                    var got: (String?, Data) = (nil, Data())
                    try await app.testing().test(
                        .GET, "/api/v1/periods/2026Q3/results",
                        beforeRequest: { req in
                            req.headers.bearerAuthorization = .init(token: token)
                            if let acceptEncoding {
                                req.headers.replaceOrAdd(name: .acceptEncoding, value: acceptEncoding)
                            }
                        }
                    ) { res in
                        #expect(res.status == .ok)
                        #expect(res.headers.first(name: .vary) == "Accept-Encoding")
                        got = (res.headers.first(name: .contentEncoding), Data(res.body.readableBytesView))
                    }
                    return got
                }
                let plain = try await results(nil)
                #expect(plain.encoding == nil)
                let gzip = try await results("gzip, deflate, br")
                #expect(gzip.encoding == "gzip")
                #expect(gzip.body.count * 5 < plain.body.count, "\(gzip.body.count) bytes against \(plain.body.count)")
                #expect(Array(gzip.body.prefix(3)) == [0x1F, 0x8B, 0x08])
                var inflated = Data()
                let deflated = gzip.body.dropFirst(10).dropLast(8)
                let crc = try Data.decompress(
                    size: Int64(deflated.count), bufferSize: 64 * 1024, skipCRC32: false,
                    provider: { position, size in
                        Data(deflated.dropFirst(Int(position)).prefix(size))
                    }, consumer: { inflated.append($0) })
                #expect(inflated == plain.body)
                #expect(
                    gzip.body.suffix(8).prefix(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
                        == crc.littleEndian)
                #expect(try await results("gzip;q=0").encoding == nil)
                #expect(try await results("identity").encoding == nil)
            }
        }

        /// A route scoped to a unit walks up from it in one query, whatever the size of the tree.
        @Test func aUnitsChainIsItsAncestorsUpToTheGeneralBranch() async throws {
            try await Self.generated { app in
                #expect(
                    try await Access.unitAndAncestors("branch-9-group-1-member-2", on: app.db)
                        == ["branch-9-group-1-member-2", "branch-9-group-1", "branch-9", "general"])
                #expect(try await Access.unitAndAncestors("branch-999", on: app.db).isEmpty)
                let parents = try await Access.parents(on: app.db)
                #expect(
                    Access.unitAndAncestors("branch-9-group-1", parents: parents) == [
                        "branch-9-group-1", "branch-9", "general",
                    ])
            }
        }
    }
}
