import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 9, finding by finding: no request can crash the process, bad input is named, nothing heavy is read
    /// before the caller is known.
    @Suite struct ReliabilityTests {
        static let entries = "assessments/branch-1/entries"

        /// Posts a raw body as it is, with its content type and, if given, a bearer token; answers the status.
        static func post(
            _ app: Application, _ path: String, _ body: String, type: String = "multipart/form-data; boundary=abc",
            token: String? = nil
        ) async throws -> HTTPStatus {
            var status = HTTPStatus.internalServerError
            try await app.testing().test(
                .POST, path,
                beforeRequest: { req in
                    if let token { req.headers.bearerAuthorization = .init(token: token) }
                    req.headers.replaceOrAdd(name: .contentType, value: type)
                    req.body = ByteBuffer(string: body)
                }
            ) { status = $0.status }
            return status
        }

        /// Every SQLite connection the server writes through syncs each commit and waits 10 s for another process's
        /// lock: set once per connection at start, not at every save.
        @Test func everySQLiteConnectionWaitsForLocksAndSyncsEachCommit() async throws {
            try await withKaohe { app in
                guard app.db.sql.dialect.name == "sqlite" else { return }
                for loop in app.eventLoopGroup.makeIterator() {
                    let db = try #require(app.databases.database(logger: app.logger, on: loop))
                    let timeout = try await db.sql.raw("PRAGMA busy_timeout").first()?.decode(
                        column: "timeout", as: Int.self)
                    let synchronous = try await db.sql.raw("PRAGMA synchronous").first()?.decode(
                        column: "synchronous", as: Int.self)
                    #expect(timeout == WriteTransaction.busyTimeoutMilliseconds)
                    #expect(synchronous == 2, "FULL")
                }
            }
        }

        @Test func anAbsurdCountIsRefusedAndTheSheetStillReads() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                // act: the count that used to crash every read of the sheet
                let posted = try await api.call(
                    .POST, Self.entries, as: "zhibu1",
                    json: ["rule": "2.1.a", "count": Int.max, "note": "x"])
                // check
                #expect(posted.status == .unprocessableEntity)
                #expect(posted.body.string.contains("count"))
                #expect(posted.body.string.contains("\(RubricRule.defaultMaxCount)"))
                // and a count stored before the bound (an old database) reads without trapping
                let sheet = try #require(
                    try await Sheet.query(on: app.db).filter(\.$unitCode == "branch-1").with(\.$rubric).first())
                let row = SheetEntry()
                row.$sheet.id = try sheet.requireID()
                row.rule = "2.1.a"; row.count = Int.max; row.mitigation = .none; row.stage = .selfAssessment
                row.createdBy = "zhibu1"; row.withdrawn = false; row.selfFound = false; row.corrected = false
                try await row.create(on: app.db)
                try await api.call(.GET, "assessments/branch-1", as: "zhibu1") { #expect($0.status == .ok) }
                try await api.call(.GET, "/periods/2026Q3/sheets/branch-1", as: "zhibu1") { _ in }
            }
        }

        @Test func aRubricMaySetARulesMaximumCount() throws {
            let shipped: String = try String(contentsOfFile: shippedRubrics + "/bureau-branch.yaml", encoding: .utf8)
            let each = "            points: 1\n            unit: each\n"
            let yaml: String = shipped.replacingOccurrences(of: each, with: each + "            maxCount: 12\n")
            let rubric: Rubric = try RubricLoader.load(yaml: yaml, file: "bureau-branch.yaml")
            let rule = try #require(rubric.rules.first { $0.unit == .each && $0.maxCount == 12 })
            let scorer = Scorer(rubric: rubric)
            #expect(!scorer.problems(in: Entry(rule: rule.id, count: 13)).isEmpty)
            #expect(scorer.problems(in: Entry(rule: rule.id, count: 12)).isEmpty)
        }

        @Test(arguments: ["note", "case"])
        func controlCharactersAreRefusedNamingTheField(field: String) async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                var body: [String: Any] = ["rule": "1.1.a", "note": "测试说明"]
                body[field] = "第一行\u{0}隐藏"
                let posted = try await api.call(.POST, Self.entries, as: "zhibu1", json: body)
                #expect(posted.status == .unprocessableEntity)
                #expect(posted.body.string.contains("\(field): "))
            }
        }

        @Test func aNulInTheUsernameAtSignInIsNamedNotAFault() async throws {
            try await withKaohe { app in
                try await app.testing().test(
                    .POST, "/api/v1/auth/token",
                    beforeRequest: { req in
                        try req.content.encode(["username": "zhibu1\u{0}", "password": "x"], as: .json)
                    }
                ) { res in
                    #expect(res.status == .unprocessableEntity)
                    #expect(res.body.string.contains("username"))
                }
                let browser = Browser(app)
                try await browser.get("/login")
                let page = try await browser.post("/login", form: ["username": "zhi\u{0}bu1", "password": "x"])
                #expect(page.status == .unprocessableEntity)
                try await app.testing().test(.GET, "/api/v1/units/%00/members") { #expect($0.status == .badRequest) }
            }
        }

        @Test func aTextLongerThanItsLimitIsRefused() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let long = String(repeating: "长", count: TextLimits.maximum(for: "note") + 1)
                let posted = try await api.call(
                    .POST, Self.entries, as: "zhibu1", json: ["rule": "1.1.a", "note": long])
                #expect(posted.status == .unprocessableEntity)
                #expect(posted.body.string.contains("note"))
            }
        }

        @Test func theDocumentNamesEveryLimit() async throws {
            try await withKaohe { app in
                try await app.testing().test(.GET, "/openapi.json") { res in
                    let text = res.body.string
                    #expect(text.contains(#""maxLength":2000"#) || text.contains(#""maxLength" : 2000"#))
                    #expect(text.contains(#""maximum":999"#) || text.contains(#""maximum" : 999"#))
                }
            }
        }

        @Test func aMalformedBodyIsBadRequest() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let token = try await api.token("zhibu1")
                let badPart = "--abc\r\nthis is not a part header\r\n\r\n--abc--"
                #expect(
                    try await Self.post(
                        app, "/api/v1/periods/2026Q3/assessments/branch-1/evidence", badPart, token: token)
                        == .badRequest)
                let cutJSON = #"{"rule": "1.1.a", "note": "#
                #expect(
                    try await Self.post(
                        app, "/api/v1/periods/2026Q3/assessments/branch-1/entries", cutJSON,
                        type: "application/json", token: token) == .badRequest)
            }
        }

        @Test func routesThatTakeNoFileRefuseMultipartUnread() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let token = try await api.token("zhibu1")
                #expect(
                    try await Self.post(
                        app, "/api/v1/periods/2026Q3/assessments/branch-1/entries", "--abc--", token: token)
                        == .unsupportedMediaType)
                // the sign-in form takes no file, and an anonymous upload anywhere is refused before it is read
                #expect(try await Self.post(app, "/login", "--abc--") == .unsupportedMediaType)
                let anonymous = try await Self.post(app, "/periods/2026Q3/sheets/branch-1/entries", "--abc--")
                #expect(anonymous == .unauthorized || anonymous == .seeOther)
                // an anonymous form that says it is large is refused before it is read
                try await app.testing().test(
                    .POST, "/login",
                    beforeRequest: { req in
                        req.headers.contentType = .urlEncodedForm
                        req.body = ByteBuffer(string: "username=" + String(repeating: "a", count: 64 * 1024))
                    }
                ) { #expect($0.status == .payloadTooLarge) }
            }
        }

        @Test func aKnownAddressAskedWithAnotherMethodIs405WithAllow() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                try await app.testing().test(.PATCH, "/api/v1/periods") { res in
                    #expect(res.status == .methodNotAllowed)
                    #expect(res.headers.first(name: "Allow")?.contains("GET") == true)
                }
                try await app.testing().test(.DELETE, "/api/v1/periods/2026Q3/assessments/branch-1") { res in
                    #expect(res.status == .methodNotAllowed)
                }
                try await app.testing().test(.GET, "/api/v1/no-such-thing") { #expect($0.status == .notFound) }
            }
        }

        @Test func anUploadFromAPageCarriesItsTokenInTheAddress() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let browser = try await Browser.signedIn(app, "zhibu1", on: "/periods/2026Q3/sheets/branch-1")
                let token = try #require(browser.csrf)
                browser.csrf = "forged"
                let forged = try await browser.upload(
                    "/periods/2026Q3/sheets/branch-1/evidence", field: "file",
                    filename: "a.txt", data: Data("会议记录".utf8))
                #expect(forged.status == .forbidden)
                browser.csrf = token
                let real = try await browser.upload(
                    "/periods/2026Q3/sheets/branch-1/evidence", field: "file",
                    filename: "a.txt", data: Data("会议记录".utf8))
                #expect(real.status == .seeOther)
            }
        }

        /// An upload is written to disk as it arrives (never whole in memory), kept under its hash, and leaves
        /// nothing behind; a body cut off mid-file is 400 and leaves nothing either.
        @Test func anUploadIsSpooledToDiskAndLeavesNothingBehind() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let incoming = IncomingArea.root(app.kaoheSettings)
                /// What the requests left in the server's area (its own `.lock` aside).
                func leftOver() -> [String] {
                    let areas = (try? FileManager.default.contentsOfDirectory(atPath: incoming.path)) ?? []
                    return areas.flatMap { area in
                        ((try? FileManager.default.contentsOfDirectory(atPath: incoming.path + "/" + area)) ?? [])
                            .filter { $0 != ".lock" }
                    }
                }
                let data = Data("%PDF-1.7\n".utf8) + Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
                let res = try await api.upload(
                    "branch-1", as: "zhibu1", filename: "三会一课记录.pdf", data: data,
                    over: .running(hostname: "127.0.0.1", port: 0))
                #expect(res.status == .created)
                let stored = try #require(try await Evidence.query(on: app.db).first())
                #expect(stored.size == data.count)
                #expect(stored.sha256 == EvidenceStore.sha256(data))
                #expect(try await EvidenceStore(app.kaoheSettings).get(stored.sha256, on: app.db) == data)
                #expect(leftOver().isEmpty)

                let token = try await api.token("zhibu1")
                let cut =
                    "--abc\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.7 and then nothing"
                #expect(
                    try await Self.post(app, "/api/v1/periods/2026Q3/assessments/branch-1/evidence", cut, token: token)
                        == .badRequest)
                #expect(leftOver().isEmpty)
                #expect(try await Evidence.query(on: app.db).count() == 1)
            }
        }

        @Test func aRenamedProgramIsRefusedForEveryAllowedType() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let program = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00])
                for name in ["report.doc", "sheet.xls", "report.wps", "sheet.et", "notes.txt"] {
                    let res = try await api.upload("branch-1", as: "zhibu1", filename: name, data: program)
                    #expect(res.status == .unprocessableEntity, "\(name)")
                }
                let ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + Data(count: 504)
                #expect(
                    try await api.upload("branch-1", as: "zhibu1", filename: "会议记录.doc", data: ole).status == .created)
                #expect(
                    try await api.upload("branch-1", as: "zhibu1", filename: "说明.txt", data: Data("第一行\r\n第二行".utf8))
                        .status == .created)
            }
        }

        @Test func aLongNameKeepsItsExtensionWhenCut() {
            let name = String(repeating: "很", count: 300) + ".docx"
            let cut = EvidenceUploads.shortened(name)
            #expect(cut.count == 200)
            #expect(cut.hasSuffix(".docx"))
        }

        @Test func signedInAnswersAreNotKeptInCaches() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.call(.GET, "/api/v1/me", as: "zhibu1") {
                    #expect($0.headers.first(name: .cacheControl) == "no-store")
                }
                let browser = try await Browser.signedIn(app, "zhibu1", on: "/")
                #expect(try await browser.get("/periods").headers.first(name: .cacheControl) == "no-store")
                try await app.testing().test(.GET, "/login") { #expect($0.headers.first(name: .cacheControl) == nil) }
            }
        }

        /// Sends each request at once and answers their statuses, in the order they finished.
        static func statuses(ofConcurrent requests: [@Sendable () async throws -> HTTPStatus]) async throws
            -> [HTTPStatus]
        {
            try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for request in requests { group.addTask(operation: request) }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
        }

        /// One call to the 2026Q3 API with a bearer token and, if given, a JSON body; answers the status.
        static func send(
            _ app: Application, _ method: HTTPMethod, _ path: String, token: String,
            json: String? = nil
        ) async throws -> HTTPStatus {
            var status = HTTPStatus.internalServerError
            try await app.testing().test(
                method, "/api/v1/periods/2026Q3/" + path,
                beforeRequest: { req in
                    req.headers.bearerAuthorization = .init(token: token)
                    if let json {
                        req.headers.contentType = .json
                        req.body = ByteBuffer(string: json)
                    }
                }
            ) { status = $0.status }
            return status
        }

        @Test func severalWritersOnOneSheetAllSucceed() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let token = try await api.token("zhibu1")
                let statuses = try await Self.statuses(
                    ofConcurrent: (0..<8).map { index in
                        {
                            try await Self.send(
                                app, .POST, Self.entries, token: token,
                                json: #"{"rule": "2.1.a", "count": 1, "note": "第 \#(index) 条"}"#)
                        }
                    })
                #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
                #expect(try await AuditLog.verify(on: app.db).firstBreak == nil)
            }
        }

        /// Deadline day: one secretary takes an entry off (clicked twice) while colleagues add theirs. Additions since
        /// the sheet was read are no conflict for a removal, so every addition lands and the entry goes once.
        @Test func anEntryTakenOffWhileOthersAreAddedGoesOnceAndTheAdditionsLand() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let token = try await api.token("zhibu1")
                let made = try await api.call(
                    .POST, "/api/v1/periods/2026Q3/" + Self.entries, as: "zhibu1",
                    json: ["rule": "1.1.a", "note": "将撤销"])
                let entry = try made.content.decode(QuarterAPI.Entry.self)
                let removal: @Sendable () async throws -> HTTPStatus = {
                    try await Self.send(app, .DELETE, Self.entries + "/\(entry.id)", token: token)
                }
                let additions: [@Sendable () async throws -> HTTPStatus] = (0..<4).map { index in
                    {
                        try await Self.send(
                            app, .POST, Self.entries, token: token,
                            json: #"{"rule": "2.1.a", "count": 1, "note": "同时 \#(index)"}"#)
                    }
                }
                let statuses = try await Self.statuses(ofConcurrent: [removal, removal] + additions)
                #expect(statuses.filter { $0 == .created }.count == 4, "\(statuses)")
                #expect(
                    statuses.filter { $0 != .created }.sorted { $0.code < $1.code } == [.noContent, .notFound],
                    "\(statuses)")
                #expect(try await SheetEntry.find(entry.id, on: app.db) == nil)
                #expect(
                    try await AuditEvent.query(on: app.db).filter(\.$action == AuditAction.entryDelete.code).count()
                        == 1)
                #expect(try await AuditLog.verify(on: app.db).firstBreak == nil)
            }
        }

        /// A sheet's address is read in one query: an unknown period and an unknown unit are each a 404 that says which,
        /// and the period's code is read in either case.
        @Test func aSheetsAddressNamesWhatIsMissing() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let noPeriod = try await api.call(.GET, "/api/v1/periods/2099Q1/assessments/branch-1", as: "zuzhi")
                #expect(noPeriod.status == .notFound && noPeriod.body.string.contains("没有考核期 2099Q1"))
                let noSheet = try await api.call(.GET, "/api/v1/periods/2026Q3/assessments/branch-99", as: "zuzhi")
                #expect(noSheet.status == .notFound && noSheet.body.string.contains("2026Q3 没有 branch-99 的考核表"))
                let lower = try await api.call(.GET, "/api/v1/periods/2026q3/assessments/branch-1", as: "zuzhi")
                #expect(lower.status == .ok && lower.body.string.contains(#""period":"2026Q3""#))
            }
        }

        /// Two clicks on 报送 from the same page at once: both pass the early check of the version they carry, and the
        /// write itself decides. One moves the sheet, the other is told it changed; the sheet moved once.
        @Test func twoSubmitsAtOnceMoveTheSheetOnce() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let token = try await api.token("zhibu1")
                let read = try await api.sheet("branch-1", as: "zhibu1")
                let submit: @Sendable () async throws -> HTTPStatus = {
                    try await Self.send(
                        app, .POST, "assessments/branch-1/actions/submit", token: token,
                        json: #"{"version": \#(read.version)}"#)
                }
                let statuses = try await Self.statuses(ofConcurrent: [submit, submit])
                #expect(statuses.sorted { $0.code < $1.code } == [.ok, .conflict], "\(statuses)")
                let after = try await api.sheet("branch-1", as: "zhibu1")
                #expect(after.state == "submitted")
                #expect(after.version == read.version + 1)
                let submissions = try await AuditEvent.query(on: app.db).filter(
                    \.$action == AuditAction.sheet(.submit).code
                ).count()
                #expect(submissions == 1)
            }
        }

        /// A submission scores the entries read with the sheet's document, before it moves the sheet: an entry added
        /// in between raised the version, so the move is refused and no snapshot of the older entries is kept.
        @Test func entriesReadBeforeASubmissionServeOnlyWhileTheSheetIsUnchanged() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let period = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
                let read = try #require(
                    try await Sheet.query(on: app.db).filter(\.$unitCode == "branch-1")
                        .filter(\.$period.$id == period.requireID()).first())
                let parts = try await SheetDocument.Parts.read(of: read, in: period, on: app.db)
                var api = QuarterAPI(app)
                let added = try await api.call(
                    .POST, "/api/v1/periods/2026Q3/" + Self.entries, as: "zhibu1",
                    json: ["rule": "1.1.a", "note": "其间新增"])
                #expect(added.status == .created)
                let owner = try #require(try await User.query(on: app.db).filter(\.$username == "zhibu1").first())
                let viewer = try await Policy.viewer(owner, sheetUnit: "branch-1", on: app.db)
                await #expect(throws: Abort.self) {
                    try await Sheets.act(
                        .submit, on: read, period: period, version: read.version, reason: nil, by: viewer,
                        today: BureauCalendar.today(), entries: parts.entries, on: app.db)
                }
                let stored = try #require(try await Sheet.find(read.requireID(), on: app.db))
                #expect(stored.state == .draft && stored.selfScore == nil)
            }
        }

        /// Four secretaries upload at once: every file lands with its audit event (the uploads once raced outside a
        /// write transaction for the log's next seq, and one in four answered 500).
        @Test func uploadsAtOnceAllLandWithTheirAuditEvents() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let units = ["branch-1", "branch-2", "branch-3", "branch-4"]
                for unit in units { _ = try await api.token("zhibu" + unit.dropFirst("branch-".count)) }
                let uploader = api
                let statuses = try await Self.statuses(
                    ofConcurrent: units.flatMap { unit in
                        (0..<3).map { copy -> @Sendable () async throws -> HTTPStatus in
                            {
                                var api = uploader
                                return try await api.upload(
                                    unit, as: "zhibu" + unit.dropFirst("branch-".count), filename: "记录\(copy).txt",
                                    data: Data("第 \(copy) 份 \(unit)".utf8)
                                ).status
                            }
                        }
                    })
                #expect(statuses.allSatisfy { $0 == .created }, "\(statuses)")
                #expect(try await Evidence.query(on: app.db).count() == 12)
                #expect(try await AuditEvent.query(on: app.db).filter(\.$action == "evidence.upload").count() == 12)
                #expect(try await AuditLog.verify(on: app.db).firstBreak == nil)
            }
        }

        /// One policy room: the services decide who may, so a route that forgot to ask could still not write.
        @Test func theServicesRefuseAWriterWhoMayNotWithoutTheRoutesHelp() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                let open = try #require(try await Period.query(on: app.db).filter(\.$code == "2026Q3").first())
                let sheet = try #require(
                    try await Sheet.query(on: app.db).filter(\.$unitCode == "branch-1")
                        .filter(\.$period.$id == open.requireID()).with(\.$rubric).first())
                let stranger = try #require(try await User.query(on: app.db).filter(\.$username == "zhibu2").first())
                let viewer = try await Policy.viewer(stranger, sheetUnit: "branch-1", on: app.db)
                let rubric = try RubricStore.rubric(of: sheet.rubric)
                let before = try await sheet.entries(on: app.db).count()
                await #expect(throws: Abort.self) {
                    try await Sheets.add(
                        Entry(rule: "1.1.a", note: "测试说明"), to: sheet, by: viewer, rubric: rubric, on: app.db)
                }
                await #expect(throws: Abort.self) {
                    try await Sheets.setOpinion(
                        item: "1.1", text: "越权", on: sheet, version: sheet.version, rubric: rubric,
                        by: viewer, on: app.db)
                }
                let entry = try #require(try await sheet.entries(on: app.db).first())
                await #expect(throws: Abort.self) {
                    try await Sheets.remove(entry.id, from: sheet, by: viewer, reason: "越权", on: app.db)
                }
                #expect(try await sheet.entries(on: app.db).count() == before)
                // and the branch's own secretary, through the same call, may
                let owner = try #require(try await User.query(on: app.db).filter(\.$username == "zhibu1").first())
                let ownViewer = try await Policy.viewer(owner, sheetUnit: "branch-1", on: app.db)
                try await Sheets.add(
                    Entry(rule: "1.1.a", note: "测试说明"), to: sheet, by: ownViewer, rubric: rubric, on: app.db)
                #expect(try await sheet.entries(on: app.db).count() == before + 1)
            }
        }
    }
}
