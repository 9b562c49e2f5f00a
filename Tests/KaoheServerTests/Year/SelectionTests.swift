import Fluent
import Foundation
import KaoheCore
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// 办法 七(二)–(三): the yearly selection from the four published quarters, 自评, 互评 and 考评, the 党总支综合评定
    /// and the certificates.
    @Suite struct SelectionTests {
        struct Document: Content {
            struct Line: Content {
                let unit: String; let quarters: [Decimal?]; let yearly: Decimal?; let bonus: Decimal
                let `self`: Decimal?; let peer: Decimal?; let panel: Decimal?; let composite: Decimal?
                let rank: Int?; let vetoed: Bool; let proposed: Bool
            }
            struct Decision: Content { let awards: [String]; let reason: String? }
            let year: Int; let level: String; let complete: Bool; let missing: [String]; let units: [Line];
            let decision: Decision?
        }

        static let branches = ["branch-1", "branch-2", "branch-3", "branch-4"]

        /// 2026Q1, Q2 and Q4 opened beside the demo's Q3, and all four published.
        static func publishedYear(_ api: inout QuarterAPI) async throws {
            for quarter in ["2026Q1", "2026Q2", "2026Q4"] {
                try await api.call(.POST, "/api/v1/periods", as: "zuzhi", json: ["quarter": quarter]) {
                    #expect($0.status == .created || $0.status == .ok)
                }
            }
            for quarter in ["2026Q1", "2026Q2", "2026Q3", "2026Q4"] {
                api.period = quarter
                for unit in branches { try await api.approve(unit) }
                try await api.call(.POST, "publish", as: "zuzhi") { #expect($0.status == .ok, "\(quarter)") }
            }
            api.period = "2026Q3"
        }

        /// Each secretary rates its branch and the others; the panel leader rates all.
        static let selfRatings: [String: Decimal] = ["branch-1": 90, "branch-2": 85, "branch-3": 95, "branch-4": 88]
        static let peerRatings: [String: [String: Decimal]] = [
            "branch-1": ["branch-2": 80, "branch-3": 90, "branch-4": 85],
            "branch-2": ["branch-1": 88, "branch-3": 92, "branch-4": 86.5],
            "branch-3": ["branch-1": 84, "branch-2": 79, "branch-4": 90],
            "branch-4": ["branch-1": 86, "branch-2": 81, "branch-3": 93],
        ]
        static let panelRatings: [String: Decimal] = ["branch-1": 88, "branch-2": 82, "branch-3": 94, "branch-4": 90]

        static func rateAll(_ api: inout QuarterAPI) async throws {
            for unit in branches {
                let secretary = "zhibu" + unit.dropFirst("branch-".count)
                try await api.call(
                    .PUT, "/api/v1/years/2026/evaluations/self", as: secretary,
                    json: ["unit": unit, "score": selfRatings[unit]!]
                ) { #expect($0.status == .ok, "\($0.body.string)") }
                try await api.call(
                    .PUT, "/api/v1/years/2026/evaluations/peer", as: secretary,
                    json: ["unit": unit, "ratings": peerRatings[unit]!]
                ) { #expect($0.status == .ok, "\($0.body.string)") }
            }
            try await api.call(
                .PUT, "/api/v1/years/2026/evaluations/panel", as: "kaohe1", json: ["ratings": panelRatings]
            ) { #expect($0.status == .ok) }
        }

        static func selection(_ api: inout QuarterAPI, level: String = "branch") async throws -> Document {
            try await api.call(.GET, "/api/v1/years/2026/selection?level=\(level)", as: "shuji").content.decode(
                Document.self)
        }

        @Test func 七二_untilTheFourQuartersArePublishedNothingIsProposed() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true, today: afterTheYear) { app in
                var api = QuarterAPI(app)
                let document = try await Self.selection(&api)
                #expect(!document.complete)
                #expect(
                    document.missing.contains { $0.contains("第一季度") }
                        && document.missing.contains { $0.contains("第三季度") })
                #expect(document.units.allSatisfy { !$0.proposed && $0.composite == nil && $0.rank == nil })
                let raw = try await api.call(.GET, "/api/v1/years/2026/selection", as: "zuzhi").body.string
                #expect(
                    raw.contains(#""decision":null"#) && raw.contains(#""self":null"#)
                        && raw.contains(#""composite":null"#),
                    "what is not there yet is null, as the contract writes it")
                let refused = try await api.call(
                    .POST, "/api/v1/years/2026/decision", as: "shuji",
                    json: ["level": "branch", "awards": ["branch-1"]])
                #expect(refused.status == .conflict)
                let page = try await Browser.signedIn(app, "shuji", on: "/years/2026/selection").get(
                    "/years/2026/selection"
                ).body.string
                #expect(page.contains("尚未推荐") && page.contains("第四季度考核结果尚未公布"))
                #expect(!page.contains("确认综合评定"), "no decision before the year is complete")
            }
        }

        @Test func 七二_theCompositeAndRankAreThoseOfKaoheAnnual() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true, today: afterTheYear) { app in
                var api = QuarterAPI(app)
                try await Self.publishedYear(&api)
                try await Self.rateAll(&api)
                let document = try await Self.selection(&api)
                #expect(document.complete && document.missing.isEmpty)

                // The same year, fed to `kaohe annual`'s engine through its own contract.
                let units: [[String: Any]] = document.units.map { line in
                    [
                        "unit": line.unit, "quarters": line.quarters.map { NSDecimalNumber(decimal: $0!) },
                        "bonus": NSDecimalNumber(decimal: line.bonus),
                        "self": NSDecimalNumber(decimal: Self.selfRatings[line.unit]!),
                        "peer": Dictionary(
                            uniqueKeysWithValues: Self.peerRatings.compactMap { rater, ratings in
                                ratings[line.unit].map { (rater, NSDecimalNumber(decimal: $0)) }
                            }),
                        "panel": NSDecimalNumber(decimal: Self.panelRatings[line.unit]!), "vetoed": false,
                    ]
                }
                let request = try AnnualRequest(json: try JSONSerialization.data(withJSONObject: ["units": units]))
                let rubric = try RubricStore.rubric(
                    of: try #require(try await RubricStore.latest(level: .branch, on: app.db)))
                let report = try AnnualReport(rubric: rubric, request: request)
                #expect(report.units.map(\.unit) == document.units.map(\.unit), "the same order")
                for (expected, line) in zip(report.units, document.units) {
                    #expect(
                        line.yearly == expected.yearly && line.peer == expected.peer
                            && line.composite == expected.composite, "\(line.unit)")
                    #expect(line.rank == expected.rank && line.proposed == expected.proposed)
                }
                #expect(document.units.filter(\.proposed).count == 1, "1 先进党支部 a year")

                let page = try await Browser.signedIn(app, "shuji", on: "/years/2026/selection").get(
                    "/years/2026/selection"
                ).body.string
                for line in report.units {
                    #expect(
                        page.contains(">\(PageFormat.points(line.composite))<"),
                        "the page shows \(line.unit)'s composite")
                }
            }
        }

        @Test func 七二_badRatingsAreRefusedNamingTheFieldAndChangeNothing() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true, today: afterTheYear) { app in
                var api = QuarterAPI(app)
                let put = {
                    (api: inout QuarterAPI, kind: String, user: String, body: [String: Any]) async throws
                        -> TestingHTTPResponse in
                    try await api.call(.PUT, "/api/v1/years/2026/evaluations/\(kind)", as: user, json: body)
                }
                for (kind, user, body, field) in [
                    ("self", "zhibu1", ["unit": "branch-1", "score": 101], "score"),
                    ("self", "zhibu1", ["unit": "branch-1", "score": -1], "score"),
                    ("self", "zhibu1", ["unit": "branch-1", "score": "九十"], "score"),
                    ("peer", "zhibu1", ["unit": "branch-1", "ratings": ["branch-1": 90]], "ratings.branch-1"),
                    (
                        "peer", "zhibu1", ["unit": "branch-1", "ratings": ["branch-2": 90, "branch-1-group-1": 80]],
                        "ratings.branch-1-group-1"
                    ),
                    ("peer", "zhibu1", ["unit": "branch-1", "ratings": ["branch-2": 100.5]], "ratings.branch-2"),
                    ("panel", "kaohe1", ["ratings": ["branch-2": 90, "branch-3": 190]], "ratings.branch-3"),
                ] as [(String, String, [String: Any], String)] {
                    let refused = try await put(&api, kind, user, body)
                    #expect(refused.status == .unprocessableEntity, "\(body)")
                    #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix(field), "\(body)")
                }
                #expect(
                    try await put(&api, "self", "zhibu1", ["unit": "branch-2", "score": 90]).status == .forbidden,
                    "another branch's 自评")
                #expect(
                    try await put(&api, "peer", "zhibu2", ["unit": "branch-1", "ratings": ["branch-3": 90]]).status
                        == .forbidden)
                #expect(
                    try await put(&api, "panel", "kaohe2", ["ratings": ["branch-1": 90]]).status == .forbidden,
                    "the panel leader's")
                #expect(try await AnnualEvaluation.query(on: app.db).count() == 0)
                #expect(
                    try await put(&api, "self", "zhibu1", ["unit": "branch-1", "score": "９０"]).status == .ok,
                    "full-width digits")

                let secretary = try await Browser.signedIn(app, "zhibu1", on: "/years/2026/selection")
                let page = try await secretary.post(
                    "/years/2026/selection/peer", form: ["unit": "branch-1", "ratings[branch-2]": "120"])
                #expect(page.status == .unprocessableEntity)
                #expect(
                    page.body.string.contains("分数应在 0–100 之间") && page.body.string.contains("value=\"120\""),
                    "beside the box, input kept")
            }
        }

        @Test func 七二_theApproverAcceptsTheProposalOrChoosesAnotherWithAReason() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true, today: afterTheYear) { app in
                var api = QuarterAPI(app)
                try await Self.publishedYear(&api)
                try await Self.rateAll(&api)
                let document = try await Self.selection(&api)
                let proposed = try #require(document.units.first { $0.proposed }).unit
                let other = try #require(document.units.first { !$0.proposed }).unit
                try await api.call(
                    .POST, "/api/v1/units/\(other)/vetoes", as: "zuzhi",
                    json: ["veto": "V3", "date": "2026-06-01", "reason": "受处分"])
                let decide = {
                    (api: inout QuarterAPI, body: [String: Any], user: String) async throws -> TestingHTTPResponse in
                    try await api.call(.POST, "/api/v1/years/2026/decision", as: user, json: body)
                }
                for (body, field) in [
                    (["level": "branch", "awards": [other], "reason": "另选"], "awards"),
                    (["level": "branch", "awards": [proposed, document.units[2].unit]], "awards"),
                    (["level": "branch", "awards": [String]()], "awards"),
                    (["level": "branch", "awards": ["branch-9"]], "awards"),
                ] as [([String: Any], String)] {
                    let refused = try await decide(&api, body, "shuji")
                    #expect(refused.status == .unprocessableEntity, "\(body)")
                    #expect(try refused.content.decode(ErrorBody.self).reason.hasPrefix(field), "\(body)")
                }
                let unvetoed = try #require(document.units.first { !$0.proposed && $0.unit != other }).unit
                let noReason = try await decide(&api, ["level": "branch", "awards": [unvetoed]], "shuji")
                #expect(noReason.status == .unprocessableEntity)
                #expect(
                    try noReason.content.decode(ErrorBody.self).reason.hasPrefix("reason"),
                    "another unit needs a written reason")
                #expect(
                    try await decide(&api, ["level": "branch", "awards": [proposed]], "zuzhi").status == .forbidden)
                #expect(try await AnnualDecision.query(on: app.db).count() == 0)

                let decided = try await decide(&api, ["level": "branch", "awards": [proposed]], "shuji")
                #expect(decided.status == .ok)
                #expect(try decided.content.decode(Document.self).decision?.awards == [proposed])
                #expect(
                    try await api.call(
                        .PUT, "/api/v1/years/2026/evaluations/panel", as: "kaohe1", json: ["ratings": ["branch-1": 60]]
                    ).status
                        == .conflict, "the ratings stand once decided")

                let member = try await Browser.signedIn(app, "dangyuan1", on: "/")
                let certificate = try await member.get("/years/2026/certificates/\(proposed)")
                #expect(certificate.status == .ok)
                #expect(certificate.body.string.contains("先进党支部"))
                // 落款: the issuing organisation and the date written out, where the seal is pressed; no seal drawn.
                #expect(certificate.body.string.contains("<p>机关党总支</p>"))
                #expect(certificate.body.string.range(of: "二〇二[六七]年", options: .regularExpression) != nil)
                #expect(!certificate.body.string.contains("（盖章）"))
                #expect(try await member.get("/years/2026/certificates/\(other)").status == .notFound)
                let all = try await Browser.signedIn(app, "zuzhi", on: "/").get("/years/2026/certificates")
                #expect(all.status == .ok && all.body.string.contains("荣誉证书"))

                // The board: the year's awards, and each branch's line across the four quarters.
                let board = try await member.get("/periods/2026Q4/results").body.string
                let name = try #require(try await Unit.query(on: app.db).filter(\.$code == proposed).first()).name
                #expect(board.contains("2026 年度评选结果") && board.contains("先进党支部：\(name)"))
                #expect(
                    board.components(separatedBy: "<polyline class=\"series\"").count - 1 == 4, "one line per branch")
                #expect(board.components(separatedBy: "<circle").count - 1 == 16, "four quarters each")
            }
        }

        @Test func 七二_aVetoOnAGroupRemovesItsBranchFromTheProposal() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true, today: afterTheYear) { app in
                var api = QuarterAPI(app)
                try await Self.publishedYear(&api)
                try await Self.rateAll(&api)
                let before = try await Self.selection(&api)
                let first = try #require(before.units.first { $0.proposed }).unit
                try await api.call(
                    .POST, "/api/v1/units/\(first)-group-1/vetoes", as: "shuji",
                    json: ["veto": "V2", "date": "2026-03-15", "reason": "小组党员廉政问题"]
                ) { #expect($0.status == .created) }
                let after = try await Self.selection(&api)
                let struck = try #require(after.units.first { $0.unit == first })
                #expect(struck.vetoed && !struck.proposed)
                #expect(after.units.last?.unit == first, "a vetoed unit ranks after all others")
                #expect(after.units.first { $0.proposed }?.unit == before.units[1].unit, "the next one is proposed")
            }
        }
        /// The manual's 互评: a group rates the groups of its own branch (party-group.yaml `peers: { within: branch }`),
        /// on the API as on the page.
        @Test func 七二_aGroupRatesTheGroupsOfItsOwnBranchOnly() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true, today: afterTheYear) { app in
                var api = QuarterAPI(app)
                let own = try await api.call(
                    .PUT, "/api/v1/years/2026/evaluations/peer", as: "xiaozu1",
                    json: ["unit": "branch-1-group-1", "ratings": ["branch-1-group-2": 88]])
                #expect(own.status == .ok, "\(own.body.string)")
                let other = try await api.call(
                    .PUT, "/api/v1/years/2026/evaluations/peer", as: "xiaozu1",
                    json: ["unit": "branch-1-group-1", "ratings": ["branch-1-group-2": 90, "branch-2-group-1": 80]])
                #expect(other.status == .unprocessableEntity)
                let reason = try other.content.decode(ErrorBody.self).reason
                #expect(reason.hasPrefix("ratings.branch-2-group-1:") && reason.contains("同一党支部"), "\(reason)")
                let kept = try await AnnualEvaluation.query(on: app.db).filter(\.$rater == "branch-1-group-1").all()
                #expect(kept.map(\.score) == ["88"], "nothing of the refused ratings kept")
                let page = try await Browser.signedIn(app, "xiaozu1", on: "/years/2026/selection?level=group").get(
                    "/years/2026/selection?level=group"
                ).body.string
                #expect(page.contains("ratings[branch-1-group-2]") && !page.contains("ratings[branch-2-group-1]"))
            }
        }
        /// A unit's first rating saved twice at the same moment (a double click, two tabs): both succeed, one rating
        /// (a duplicate key and a 500 on PostgreSQL before).
        @Test func twoFirstRatingsAtOnceLeaveOneAndNoError() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true, today: afterTheYear) { app in
                var api = QuarterAPI(app)
                _ = try await api.token("zhibu1")
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for score in [90, 91, 92, 93] {
                        var caller = api
                        group.addTask {
                            try await caller.call(
                                .PUT, "/api/v1/years/2026/evaluations/self", as: "zhibu1",
                                json: ["unit": "branch-1", "score": score]
                            ).status
                        }
                    }
                    return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
                }
                #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
                let kept = try await AnnualEvaluation.query(on: app.db).filter(\.$rater == "branch-1")
                    .filter(\.$kind == .selfRating).count()
                #expect(kept == 1)
            }
        }

        @Test func 七二_onceDecidedTheRatingFormsAreNoLongerOffered() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true, today: afterTheYear) { app in
                var api = QuarterAPI(app)
                try await Self.publishedYear(&api)
                try await Self.rateAll(&api)
                let secretary = try await Browser.signedIn(app, "zhibu1", on: "/years/2026/selection")
                let panel = try await Browser.signedIn(app, "kaohe1", on: "/years/2026/selection")
                #expect(try await secretary.get("/years/2026/selection").body.string.contains("保存自评"))
                #expect(try await panel.get("/years/2026/selection").body.string.contains("保存考评"))
                let proposed = try #require(try await Self.selection(&api).units.first { $0.proposed }).unit
                let decided = try await api.call(
                    .POST, "/api/v1/years/2026/decision", as: "shuji",
                    json: ["level": "branch", "awards": [proposed]])
                #expect(decided.status == .ok)
                let rated = try await secretary.get("/years/2026/selection").body.string
                #expect(!rated.contains("保存自评") && !rated.contains("保存互评"), "a save would be refused (409)")
                #expect(!(try await panel.get("/years/2026/selection").body.string.contains("保存考评")))
                #expect(rated.contains("党总支综合评定"), "the decision is shown instead")
                // A tab opened before the decision: its save comes back to the page, saying why.
                let stale = try await secretary.post(
                    "/years/2026/selection/self", form: ["unit": "branch-1", "score": "95", "level": "branch"])
                #expect(stale.status == .conflict)
                #expect(stale.body.string.contains("评分未保存") && stale.body.string.contains("年度评选"))
            }
        }
    }
}
