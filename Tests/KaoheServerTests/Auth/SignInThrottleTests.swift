import Fluent
import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Issue 9: sign-in that an attacker cannot turn against its users.
    @Suite struct SignInThrottleTests {
        struct Credentials: Content { let username: String; let password: String }

        static func token(_ app: Application, _ username: String, _ password: String, from client: String) async throws
            -> TestingHTTPResponse
        {
            var captured: TestingHTTPResponse?
            try await app.testing().test(
                .POST, "/api/v1/auth/token",
                beforeRequest: { req in
                    req.headers.replaceOrAdd(name: "X-Forwarded-For", value: client)
                    try req.content.encode(Credentials(username: username, password: password), as: .json)
                }
            ) { captured = $0 }
            return try #require(captured)
        }

        static func behindProxy(_ settings: inout Settings) { settings.trustForwardedFor = true }

        @Test func guessesFromOneClientNeverLockTheOwnerOutElsewhere() async throws {
            try await withKaohe(Self.behindProxy) { app in
                try await makeUser(app)
                for _ in 0..<5 {
                    #expect(
                        try await Self.token(app, "zhibu1", "wrong-guess-1", from: "203.0.113.9").status
                            == .unauthorized)
                }
                // act: the attacker's client now waits, growing with each failure
                let throttled = try await Self.token(app, "zhibu1", "wrong-guess-1", from: "203.0.113.9")
                #expect(throttled.status == .tooManyRequests)
                #expect(Int(throttled.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
                // check: the owner, from their own desk, signs in with the right password at once
                #expect(try await Self.token(app, "zhibu1", "secret-pass-2026", from: "10.1.1.20").status == .ok)
            }
        }

        /// Issue 27: an attacker with a new address for every guess slows the account down for strangers, never for
        /// the browser its owner has signed in from before.
        @Test func theOwnersKnownBrowserSignsInWhateverOthersSend() async throws {
            try await withKaohe(Self.behindProxy) { app in
                try await makeUser(app)
                let desk = Browser(app)
                #expect(try await desk.signIn("zhibu1", "secret-pass-2026").status == .seeOther)
                #expect(desk.cookies[KnownClient.cookieName] != nil)
                try await desk.post("/logout", form: [:])
                // act: forty guesses, each from an address never seen before
                for guess in 0..<40 {
                    _ = try await Self.token(app, "zhibu1", "wrong-guess-\(guess)", from: "198.51.100.\(guess)")
                }
                // check: a stranger's browser waits; the owner's signs in at once
                let elsewhere = try await Browser(app).signIn("zhibu1", "secret-pass-2026")
                #expect(elsewhere.status == .tooManyRequests)
                #expect(try await desk.signIn("zhibu1", "secret-pass-2026").status == .seeOther)
                // a cookie made for another account, or altered, is a stranger's
                let forged = Browser(app)
                // (the last character changed for certain: appending "0" in place of a "0" forged nothing)
                let genuine = desk.cookies[KnownClient.cookieName]!.string
                forged.cookies[KnownClient.cookieName] = .init(
                    string: String(genuine.dropLast()) + (genuine.hasSuffix("0") ? "1" : "0"))
                #expect(try await forged.signIn("zhibu1", "secret-pass-2026").status == .tooManyRequests)
            }
        }

        @Test func bcryptTakesAtMostHalfTheCores() async throws {
            #expect(SignIn.bcryptPermits(cores: 2) == 1)
            #expect(SignIn.bcryptPermits(cores: 8) == 4)
            #expect(SignIn.bcryptPermits(cores: 1) == 1)
            // beyond its queue a stranger is turned away; the owner's known browser waits its turn, first in line
            let gate = AsyncGate(permits: 1, maxWaiting: 0)
            let (held, release) = AsyncStream.makeStream(of: Void.self)
            let holder = Task { try await gate.run { for await _ in held { break } } }
            try await Task.sleep(for: .milliseconds(50))
            await #expect(throws: AsyncGate.Full.self) { try await gate.run { () } }
            let owner = Task { try await gate.run(refusable: false) { 1 } }
            try await Task.sleep(for: .milliseconds(50))
            release.yield()
            try await holder.value
            #expect(try await owner.value == 1)
        }

        @Test func theDelayGrowsRatherThanLockingOut() {
            let throttle = Settings.SignInThrottle()
            #expect(throttle.delay(afterFailures: 4) == 0)
            #expect(throttle.delay(afterFailures: 5) == 1)
            #expect(throttle.delay(afterFailures: 7) == 4)
            #expect(throttle.delay(afterFailures: 100) == throttle.window)
            #expect(throttle.accountDelay(afterFailures: 19) == 0)
            #expect(throttle.accountDelay(afterFailures: 1000) == 30)
        }

        @Test func simultaneousGuessesAreCountedOneByOne() async throws {
            try await withKaohe(Self.behindProxy) { app in
                try await makeUser(app)
                // act: 30 guesses at once from one client
                let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                    for _ in 0..<30 {
                        group.addTask {
                            try await Self.token(app, "zhibu1", "wrong-guess-2", from: "203.0.113.7").status
                        }
                    }
                    return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
                }
                // check: only the free failures reached Bcrypt; the rest were refused before it
                #expect(statuses.filter { $0 == .unauthorized }.count == Settings.SignInThrottle().freeFailures)
                #expect(statuses.filter { $0 == .tooManyRequests }.count == 30 - Settings.SignInThrottle().freeFailures)
            }
        }

        @Test func aClientThatFailsTooOftenIsRefusedBeforeAnyPasswordCheck() async throws {
            try await withKaohe(Self.behindProxy) { app in
                try await makeUser(app)
                for index in 0..<Settings.SignInThrottle().maxFailuresPerClient {
                    try await SignInFailure(username: "user\(index)", client: "198.51.100.4").create(on: app.db)
                }
                // check: even the right password of an untouched account is refused from there
                #expect(
                    try await Self.token(app, "zhibu1", "secret-pass-2026", from: "198.51.100.4").status
                        == .tooManyRequests)
                #expect(try await Self.token(app, "zhibu1", "secret-pass-2026", from: "198.51.100.5").status == .ok)
            }
        }

        @Test func revokingTheTokenEndsIt() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let token = try await apiToken(app, "zhibu1", "secret-pass-2026")
                let bearer: HTTPHeaders = ["Authorization": "Bearer \(token)"]
                try await app.testing().test(.DELETE, "/api/v1/auth/token", headers: bearer) {
                    #expect($0.status == .noContent)
                }
                try await app.testing().test(.GET, "/api/v1/me", headers: bearer) {
                    #expect($0.status == .unauthorized)
                }
                try await app.testing().test(.DELETE, "/api/v1/auth/token", headers: bearer) {
                    #expect($0.status == .unauthorized)
                }
            }
        }

        @Test func aPasswordChangeEndsEveryOtherSessionAndToken() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                let elsewhere = Browser(app)
                try await elsewhere.signIn("zhibu1", "secret-pass-2026")
                let token = try await apiToken(app, "zhibu1", "secret-pass-2026")
                let here = try await Browser.signedIn(
                    app, "zhibu1", password: "secret-pass-2026", on: "/account/password")
                // act
                let changed = try await here.post(
                    "/account/password",
                    form: ["current": "secret-pass-2026", "new": "a-new-long-phrase", "confirm": "a-new-long-phrase"])
                #expect(changed.status == .ok)
                // check: this browser goes on, the other is signed out, the token is void
                #expect(try await here.get("/").status == .ok)
                let other = try await elsewhere.get("/")
                #expect(other.status == .seeOther)
                #expect(other.headers.first(name: .location)?.hasPrefix("/login") == true)
                try await app.testing().test(.GET, "/api/v1/me", headers: ["Authorization": "Bearer \(token)"]) {
                    #expect($0.status == .unauthorized)
                }
            }
        }

        @Test func weakPasswordsAreRefused() {
            let weak = [
                ("12345678", "too short"), ("zhibu1-is-my-password", "contains the username"),
                ("password1234", "common"), ("aaaaaaaaaaaaaaaa", "one character"), ("123456789012", "a run"),
                (String(repeating: "长", count: 25), "over 72 bytes"),
            ]
            for (password, why) in weak {
                #expect(PasswordPolicy.problem(password, username: "zhibu1") != nil, "\(why)")
            }
        }

        /// Issue 27 (ASVS 2.1.7): passwords seen in breaches, as they are or dressed up with digits, symbols and
        /// look-alike characters, are refused; so is a short piece said again and again.
        @Test func breachedPasswordsAreRefused() {
            for password in [
                "abcdabcdabcd", "Password2026", "P@ssw0rd2026", "woaini1314520", "iloveyou2026!", "1qazxsw23edcvfr4",
            ] {
                #expect(PasswordPolicy.problem(password, username: "zhibu1") != nil, "\(password)")
            }
            #expect(BreachedPasswords.shared.entries.count > 1_000)
            #expect(BreachedPasswords.shared.bases.contains("woaini"))
            // a passphrase of ordinary words is no breached base
            #expect(PasswordPolicy.problem("lanterns-over-the-river-2026", username: "zhibu1") == nil)
        }

        @Test func aGoodPasswordIsAccepted() {
            #expect(PasswordPolicy.problem("春风又绿江南岸又是一年2026", username: "zhibu1") == nil)
            #expect(PasswordPolicy.problem("correct horse battery", username: "zhibu1") == nil)
        }

        @Test func expiredSessionsAndOldFailuresArePurged() async throws {
            try await withKaohe { app in
                try await makeUser(app)
                try await Browser(app).signIn("zhibu1", "secret-pass-2026")
                try await SignInFailure(
                    username: "zhibu1", client: "x", failedAt: Date().addingTimeInterval(-2 * 86_400)
                ).create(on: app.db)
                try await SignInFailure(username: "zhibu1", client: "x").create(on: app.db)
                // act: a day and a half later
                let later = Date().addingTimeInterval(36 * 3600)
                let purged = try await Maintenance.purge(on: app.db, settings: app.kaoheSettings, now: later)
                // check
                #expect(purged.sessions >= 1)
                #expect(try await SessionRecord.query(on: app.db).count() == 0)
                #expect(try await SignInFailure.query(on: app.db).count() == 0)
            }
        }
    }
}
