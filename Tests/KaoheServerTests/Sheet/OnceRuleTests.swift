import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// A rule the rubric counts `once` counts once on a sheet: a second entry in force is refused naming the
    /// rule, two at once leave one, and a withdrawn entry makes room for its replacement.
    @Suite struct OnceRuleTests {
        static var entry: [String: Any] { ["rule": "1.1.a", "note": "支部班子配备不全"] }

        @Test func aOnceRuleTakesOneEntryInForceASheet() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let first = try await api.call(.POST, "assessments/branch-1/entries", as: "zhibu1", json: Self.entry)
                #expect(first.status == .created, "\(first.body.string)")
                let second = try await api.call(.POST, "assessments/branch-1/entries", as: "zhibu1", json: Self.entry)
                #expect(second.status == .unprocessableEntity)
                #expect(second.body.string.contains("1.1.a") && second.body.string.contains("rule"))
                let kept = try await api.sheet("branch-1", as: "zhibu1").entries.filter { $0.rule == "1.1.a" }
                #expect(kept.count == 1)
            }
        }

        @Test func twoAtOnceLeaveOneEntry() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                _ = try await api.token("zhibu1")
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for _ in 1...4 {
                        var caller = api
                        group.addTask {
                            try await caller.call(.POST, "assessments/branch-1/entries", as: "zhibu1", json: Self.entry)
                                .status
                        }
                    }
                    return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses)")
                #expect(statuses.allSatisfy { $0 == .created || $0 == .unprocessableEntity }, "\(statuses)")
            }
        }
        /// 细则 2.4: a branch charged with not assessing (2.4.a) had nothing to report late (2.4.b): the rubric says
        /// the two exclude each other, so one of them stands on a sheet, whichever came first.
        @Test func rulesThatExcludeEachOtherTakeOneEntryInForce() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                let notAssessed: [String: Any] = ["rule": "2.4.a", "note": "本季度未开展自查考核"]
                let late: [String: Any] = ["rule": "2.4.b", "note": "自查结果晚报"]
                let first = try await api.call(.POST, "assessments/branch-1/entries", as: "zhibu1", json: notAssessed)
                #expect(first.status == .created)
                let refused = try await api.call(.POST, "assessments/branch-1/entries", as: "zhibu1", json: late)
                #expect(refused.status == .unprocessableEntity)
                let reason = try refused.content.decode(ErrorBody.self).reason
                #expect(reason.hasPrefix("rule:") && reason.contains("2.4.a"), "\(reason)")
                let kept = try await api.sheet("branch-1", as: "zhibu1").entries.filter { $0.rule.hasPrefix("2.4") }
                #expect(kept.count == 1)
                // Read both ways: 2.4.b first leaves no room for 2.4.a either.
                let lateFirst = try await api.call(.POST, "assessments/branch-2/entries", as: "zhibu2", json: late)
                #expect(lateFirst.status == .created)
                let other = try await api.call(.POST, "assessments/branch-2/entries", as: "zhibu2", json: notAssessed)
                #expect(other.status == .unprocessableEntity)
            }
        }
    }
}
