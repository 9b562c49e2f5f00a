import Fluent
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    @Suite struct AuditLogTests {
        @Test func everyUserCreationIsAuditedWithoutThePassword() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let events = try await AuditEvent.query(on: app.db).all()
                #expect(events.map(\.action) == ["user.create"])
                #expect(events[0].subject == "user:zhibu1")
                #expect(events[0].actor == "test")
                #expect(events[0].after?.contains("branchSecretary") == true)
                #expect(events[0].after?.contains("secret-pass-2026") == false)
                #expect(events[0].after?.contains("$2") == false)
            }
        }

        @Test func eventsChainFromGenesis() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                try await makeUser(app, username: "zhibu2", unit: "branch-2")
                let events = try await AuditEvent.query(on: app.db).sort(\.$seq).all()
                #expect(events.map(\.seq) == [1, 2])
                #expect(events[0].previousHash == AuditLog.genesis)
                #expect(events[1].previousHash == events[0].hash)
                let verification = try await AuditLog.verify(on: app.db)
                #expect(verification.count == 2)
                #expect(verification.firstBreak == nil)
            }
        }

        @Test func anEditedEventBreaksTheChainThere() async throws {
            try await withKaohe { app in
                for n in 1...3 { try await makeUser(app, username: "user\(n)", unit: "branch-\(n)") }
                let second = try #require(try await AuditEvent.query(on: app.db).filter(\.$seq == 2).first())
                second.actor = "someone-else"
                try await second.save(on: app.db)
                let verification = try await AuditLog.verify(on: app.db)
                #expect(verification.firstBreak?.seq == 2)
            }
        }

        @Test func aDeletedEventBreaksTheChainThere() async throws {
            try await withKaohe { app in
                for n in 1...3 { try await makeUser(app, username: "user\(n)", unit: "branch-\(n)") }
                try await AuditEvent.query(on: app.db).filter(\.$seq == 2).delete()
                let verification = try await AuditLog.verify(on: app.db)
                #expect(verification.firstBreak?.seq == 2)
            }
        }

        @Test func aRehashedEditStillBreaksTheNextLink() async throws {
            try await withKaohe { app in
                for n in 1...3 { try await makeUser(app, username: "user\(n)", unit: "branch-\(n)") }
                let second = try #require(try await AuditEvent.query(on: app.db).filter(\.$seq == 2).first())
                second.subject = "user:forged"
                second.hash = AuditLog.digest(
                    seq: 2, at: second.at, actor: second.actor, action: second.action,
                    subject: second.subject, before: second.before, after: second.after,
                    previousHash: second.previousHash)
                try await second.save(on: app.db)
                let verification = try await AuditLog.verify(on: app.db)
                #expect(verification.firstBreak?.seq == 3)
            }
        }

        @Test func aCutOffTailIsDetected() async throws {
            try await withKaohe { app in
                for n in 1...3 { try await makeUser(app, username: "user\(n)", unit: "branch-\(n)") }
                // act: the newest events deleted, leaving a chain that is whole as far as it goes
                try await AuditEvent.query(on: app.db).filter(\.$seq >= 2).delete()
                // check
                let verification = try await AuditLog.verify(on: app.db)
                #expect(verification.firstBreak?.seq == 2)
                #expect(verification.firstBreak?.reason.contains("#3") == true)
            }
        }

        @Test func aCutOffTailStaysDetectedAfterTheNextEvent() async throws {
            try await withKaohe { app in
                for n in 1...3 { try await makeUser(app, username: "user\(n)", unit: "branch-\(n)") }
                try await AuditEvent.query(on: app.db).filter(\.$seq >= 2).delete()
                // act: the next change extends the recorded tail, not the newest surviving event
                try await makeUser(app, username: "user4", unit: "branch-4")
                // check: the gap of the deleted events is still in the chain
                let verification = try await AuditLog.verify(on: app.db)
                #expect(verification.firstBreak?.seq == 2)
                let seqs = try await AuditEvent.query(on: app.db).sort(\.$seq).all().map(\.seq)
                #expect(seqs == [1, 4])
            }
        }

        /// The attack the tail cannot catch: the newest events deleted and the tail rewritten to the survivor. The
        /// head the operator kept outside the database (`audit verify --expect`) can.
        @Test func aKeptHeadCatchesTheNewestEventsDeletedWithTheTailRewritten() async throws {
            try await withKaohe { app in
                for n in 1...3 { try await makeUser(app, username: "user\(n)", unit: "branch-\(n)") }
                let kept = try #require(try await AuditLog.verify(on: app.db).head)
                #expect(try await AuditLog.verify(on: app.db, expecting: "\(kept.seq):\(kept.hash)").firstBreak == nil)
                // act: the newest two deleted, and the tail made to agree with what is left
                try await AuditEvent.query(on: app.db).filter(\.$seq >= 2).delete()
                let survivor = try #require(try await AuditEvent.query(on: app.db).filter(\.$seq == 1).first())
                try await AuditTail.query(on: app.db).set(\.$seq, to: 1).set(\.$hash, to: survivor.hash).update()
                // check: the chain alone looks whole; the kept head says otherwise
                #expect(try await AuditLog.verify(on: app.db).firstBreak == nil, "what the tail alone cannot see")
                let checked = try await AuditLog.verify(on: app.db, expecting: kept.hash)
                #expect(checked.firstBreak?.reason.contains("已不在链中") == true)
            }
        }

        @Test func aChainWithoutItsTailRecordGoesOnFromItsNewestEvent() async throws {
            try await withKaohe { app in
                for n in 1...2 { try await makeUser(app, username: "user\(n)", unit: "branch-\(n)") }
                try await AuditTail.query(on: app.db).delete()
                try await makeUser(app, username: "user3", unit: "branch-3")
                let verification = try await AuditLog.verify(on: app.db)
                #expect(verification.count == 3)
                #expect(verification.firstBreak == nil)
            }
        }

        @Test func everySheetEventNamesItsQuarterAndUnit() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var api = QuarterAPI(app)
                try await api.call(
                    .POST, "assessments/branch-2/entries", as: "zhibu2", json: ["rule": "1.1.a", "note": "班子缺一名委员"])
                let sheetEvents = try await AuditEvent.query(on: app.db).filter(\.$subject =~ "sheet:").all()
                #expect(sheetEvents.count >= 5)
                for event in sheetEvents {
                    let named =
                        event.subject.range(of: "^sheet:[0-9]{4}Q[1-4]/[a-z0-9-]+$", options: .regularExpression) != nil
                    #expect(named, "\(event.action) \(event.subject)")
                }
            }
        }

        @Test func kaoheUserCreateChecksTheRoleAgainstTheUnitLikeThePage() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                await #expect(throws: Accounts.Problem.self) {
                    try await Accounts.create(
                        username: "wrong1", displayName: "错位", password: "a-long-enough-phrase",
                        roles: [("branchSecretary", "general")], actor: "cli", on: app)
                }
                let created = try await User.query(on: app.db).filter(\.$username == "wrong1").count()
                #expect(created == 0)
            }
        }
    }
}
