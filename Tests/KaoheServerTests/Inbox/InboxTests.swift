import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 待办 (`GET /api/v1/me/inbox`, the 工作台's list): what each person must do next, by the rules of the step.
    @Suite struct InboxTests {
        struct Item: Content { let kind: String; let title: String; let due: String?; let link: String }

        func inbox(_ api: inout QuarterAPI, of user: String) async throws -> [Item] {
            let response = try await api.call(.GET, "/api/v1/me/inbox", as: user)
            #expect(response.status == .ok)
            return try response.content.decode([Item].self)
        }

        @Test func aSecretarySeesTheirOwnDraftToSubmitWithItsDeadlineAndNoOneElses() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let items = try await inbox(&api, of: "zhibu1")
                let own = try #require(items.first { $0.link == "/periods/2026Q3/sheets/branch-1" })
                #expect(own.kind == "sheet")
                #expect(own.due != nil, "a draft is due by the self-report deadline")
                #expect(!items.contains { $0.link.contains("branch-2") })
            }
        }

        @Test func aQuarterToPublishAndThenAnOpenObjectionWaitForWhoeverDecidesThem() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                for unit in ["branch-1", "branch-2", "branch-3"] { try await api.approve(unit) }
                #expect(
                    !(try await inbox(&api, of: "zuzhi")).contains { $0.kind == "publication" },
                    "a branch is not approved yet")
                try await api.approve("branch-4")
                // Every branch approved: the quarter waits for its organizer to publish it (办法 六), and for no one else.
                #expect(
                    try await inbox(&api, of: "zuzhi").contains {
                        $0.kind == "publication" && $0.link == "/periods/2026Q3/results"
                    })
                #expect(!(try await inbox(&api, of: "shuji")).contains { $0.kind == "publication" })
                try await api.call(.POST, "publish", as: "zuzhi")
                #expect(!(try await inbox(&api, of: "zuzhi")).contains { $0.kind == "publication" }, "published: done")
                try await api.call(.POST, "assessments/branch-2/objection", as: "zhibu2", json: ["reason": "有通知为证"]) {
                    res in
                    #expect(res.status == .created)
                }
                let organizer = try await inbox(&api, of: "zuzhi")
                #expect(
                    organizer.contains {
                        $0.kind == "objection" && $0.link == "/periods/2026Q3/sheets/branch-2/feedback#objection"
                    })
                // The line opens where the objection is decided, and the 工作台 shows it.
                let browser = try await Browser.signedIn(app, "zuzhi", on: "/")
                #expect(
                    try await browser.get("/periods/2026Q3/sheets/branch-2/feedback").body.string.contains(
                        #"id="objection""#))
                #expect(try await browser.get("/").body.string.contains("申诉待处理"))
                let unit = try await inbox(&api, of: "zhibu2")
                #expect(!unit.contains { $0.kind == "objection" })
                // Published results are news for everyone, for a fortnight.
                #expect(unit.contains { $0.kind == "published" && $0.link == "/periods/2026Q3/results" })

                try await api.call(
                    .POST, "assessments/branch-2/objection/dismiss", as: "zuzhi", json: ["reason": "理由不成立"]
                ) { res in
                    #expect(res.status == .ok)
                }
                #expect(
                    !(try await inbox(&api, of: "zuzhi")).contains { $0.kind == "objection" },
                    "a decided objection is done")
            }
        }

        @Test func aReturnedSheetComesBackToItsUnitWithTheReason() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-1", as: "zhibu1")
                #expect(
                    !(try await inbox(&api, of: "zhibu1")).contains { $0.link.hasSuffix("/branch-1") },
                    "submitted: not theirs now")
                #expect(try await api.act("return", on: "branch-1", as: "zuzhi", reason: "缺少三会一课记录").status == .ok)
                let returned = try #require(
                    try await inbox(&api, of: "zhibu1").first { $0.link == "/periods/2026Q3/sheets/branch-1" })
                #expect(returned.kind == "returned")
                #expect(returned.title.contains("缺少三会一课记录"))
                // Another unit's draft, never returned, is an ordinary one.
                #expect(try await inbox(&api, of: "zhibu2").first { $0.link.hasSuffix("/branch-2") }?.kind == "sheet")
            }
        }

        /// A role acts on its unit's sheet and on the sheets one level down (办法 四: the branch reviews its groups,
        /// the group leader fills in and reviews the members'), never on the drafts further below.
        @Test func eachRoleSeesTheSheetsItActsOnAndNotTheDraftsBelowThem() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let group = "/periods/2026Q3/sheets/branch-1-group-1"
                let leader = try await inbox(&api, of: "xiaozu1")
                #expect(leader.contains { $0.link == group }, "the group leader fills in the group's sheet")
                #expect(leader.contains { $0.link.contains("branch-1-group-1-member-") }, "and the members'")
                #expect(!(try await inbox(&api, of: "zhibu1")).contains { $0.link.contains("group") })
                #expect(try await api.act("submit", on: "branch-1-group-1", as: "xiaozu1").status == .ok)
                let secretary = try await inbox(&api, of: "zhibu1")
                #expect(secretary.contains { $0.link == group }, "submitted: the branch secretary's to forward")
                #expect(!secretary.contains { $0.link.contains("member") })
                #expect(!(try await inbox(&api, of: "xiaozu1")).contains { $0.link == group })
            }
        }

        @Test func theNearestDeadlineComesFirstAndUndatedThingsAfter() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.act("submit", on: "branch-1", as: "zhibu1")
                let items = try await inbox(&api, of: "zuzhi")
                #expect(!items.isEmpty)
                // A list of the API: `?limit=&offset=` as every list, a bad number named.
                let first = try await api.call(.GET, "/api/v1/me/inbox?limit=1", as: "zuzhi").content.decode(
                    [Item].self)
                #expect(first.map(\.link) == [items[0].link])
                try await api.call(.GET, "/api/v1/me/inbox?limit=-1", as: "zuzhi") { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.body.string.contains("limit"))
                }
                let dues = items.map(\.due)
                let dated = dues.prefix { $0 != nil }.compactMap { $0 }
                #expect(dated == dated.sorted())
                #expect(dues.dropFirst(dated.count).allSatisfy { $0 == nil })
            }
        }
    }
}

extension ServerTests.InboxTests {
    /// The ledger's 待办 for the unit's secretary: this month's dues, plans due or overdue, what is behind schedule.
    @Test func theSecretaryIsRemindedOfDuesPlansAndTheLedgersPace() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            var api = QuarterAPI(app)
            struct Item: Decodable { let kind: String; let title: String; let due: String?; let link: String }
            let items = try await api.call(.GET, "/api/v1/me/inbox?limit=200", as: "zhibu4").content.decode([Item].self)
            let today = BureauCalendar.today()
            let dues = try #require(items.first { $0.kind == "dues" })
            #expect(dues.title.contains("\(today.month)月党费待登记并上交总支") && dues.link.hasSuffix("#dues"))
            #expect(
                items.contains {
                    $0.kind == "document" && $0.title.contains("党员发展计划待上报") && $0.link.hasSuffix("#documents")
                },
                "第四支部 never reported its 党员发展计划")
            let dated = items.compactMap(\.due)
            #expect(dated == dated.sorted(), "soonest first")
            // The organizer keeps no ledger: none of these.
            let organizer = try await api.call(.GET, "/api/v1/me/inbox?limit=200", as: "zuzhi").content.decode(
                [Item].self)
            #expect(!organizer.contains { ["dues", "document", "ledger"].contains($0.kind) })
            // Handed over this month, the reminder goes.
            let month = String(today.description.prefix(7))
            let members = (1...2).flatMap { g in (1...3).map { "branch-4-group-\(g)-member-\($0)" } }
            let saved = try await api.call(
                .PUT, "/api/v1/units/branch-4/dues/\(month)", as: "zhibu4",
                json: [
                    "payments": members.map {
                        ["member": $0, "amount": "50", "paidOn": today.description, "signed": true] as [String: Any]
                    },
                    "handedOverOn": today.description,
                ])
            #expect(saved.status == .ok)
            let after = try await api.call(.GET, "/api/v1/me/inbox?limit=200", as: "zhibu4").content.decode([Item].self)
            #expect(!after.contains { $0.kind == "dues" })
        }
    }
}

extension ServerTests.InboxTests {
    /// Issue 29: in the quarter its sheet is assessed in, the keeper's 待办 reads what the sheet's reading of the day
    /// keeps (`LedgerDue`), counted once; it lists what a count from the book lists, and a record changes it.
    @Test func theLedgersPartOfTheInboxIsTheSheetsKeptReading() async throws {
        try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
            var api = QuarterAPI(app)
            struct Item: Decodable, Equatable {
                let kind: String; let title: String; let due: String?; let link: String
            }
            func ledger(_ user: String) async throws -> [Item] {
                try await api.call(.GET, "/api/v1/me/inbox?limit=200", as: user).content.decode([Item].self)
                    .filter { ["dues", "document", "ledger"].contains($0.kind) }
            }
            let today = BureauCalendar.today()
            let before = try await ledger("zhibu4")  // 2026Q3's sheet: not this quarter's, counted from the book
            #expect(!before.isEmpty)
            let opened = try await api.call(
                .POST, "/api/v1/periods", as: "zuzhi", json: ["quarter": Quarter(of: today)!.code])
            #expect(opened.status == .created)
            let first = try await ledger("zhibu4")
            #expect(first == before, "the kept reading lists what the book does")
            let period = try #require(
                try await Period.query(on: app.db).filter(\.$code == Quarter(of: today)!.code).first())
            let sheet = try #require(
                try await Sheet.query(on: app.db).filter(\.$period.$id == period.requireID())
                    .filter(\.$unitCode == "branch-4").first())
            let kept = try #require(
                try await KeptSheetReading.query(on: app.db).filter(\.$sheetID == sheet.requireID()).first(),
                "the inbox kept the sheet's reading")
            let found = try JSONDecoder().decode(KeptSheetReading.Found.self, from: Data(kept.reading.utf8))
            let rubric = try await RubricStore.rubric(id: sheet.$rubric.id, on: app.db)
            let book = try await LedgerBook.read(for: "branch-4", year: today.year, on: app.db)
            #expect(found.due == LedgerDue(book: book, quarter: Quarter(of: today)!, rubric: rubric, asOf: today))
            #expect(try await ledger("zhibu4") == first, "served from the kept reading")
            // A plan reported moves the unit's epoch: the reading is counted again and the reminder goes.
            let plan = try #require(first.first { $0.kind == "document" })
            let kind = DocumentKind.allCases.first { plan.title.contains($0.label) }!
            let reported = try await api.call(
                .POST, "/api/v1/units/branch-4/documents", as: "zhibu4",
                json: ["kind": kind.rawValue, "year": today.year, "submittedOn": today.description, "title": "计划"])
            #expect(reported.status == .created)
            #expect(try await !ledger("zhibu4").contains { $0.kind == "document" && $0.title.contains(kind.label) })
        }
    }
}
