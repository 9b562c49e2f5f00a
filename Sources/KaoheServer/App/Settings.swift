import Foundation

/// Everything Kaohe reads from its environment, read once at start into one typed value.
public struct Settings: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        /// The embedded default: one SQLite file inside the data directory.
        case sqliteFile(path: String)
        /// Tests: a private SQLite database that lives as long as the application.
        case sqliteMemory
        /// The scale path: `DATABASE_URL=postgres://…`.
        case postgres(url: String)
    }

    public var dataDirectory: String
    public var database: DatabaseChoice
    /// Where the shipped rubrics (`rubrics/*.yaml`) are read from on the first start.
    public var rubricsDirectory: String?
    /// The first admin's password, read on the first real start only.
    public var adminPassword: String?
    /// Seed the demo bureau when the database is empty.
    public var demo: Bool
    /// Cookies carry `Secure` when Kaohe is served over https (behind a TLS proxy).
    public var secureCookies: Bool
    /// Bcrypt work factor; tests lower it, production keeps 12.
    public var bcryptCost: Int
    /// A browser session ends this long after sign-in.
    public var sessionLifetime: TimeInterval
    /// An API token expires this long after it was issued.
    public var tokenLifetime: TimeInterval
    /// Sign-in throttling: at most `maxFailures` failed attempts per account inside `window`.
    public var signInThrottle: SignInThrottle
    /// What evidence files are accepted.
    public var evidence: EvidencePolicy
    /// Behind a reverse proxy (`KAOHE_TRUST_PROXY=1`): the client is the last `X-Forwarded-For` address.
    public var trustForwardedFor: Bool
    /// A form's or a JSON request's body must have arrived this long after its headers (`BodyDeadline`).
    public var formBodyDeadline: TimeInterval = 30

    /// Evidence uploads: a size limit and an allow-list of file types (`KAOHE_EVIDENCE_MAX_MB`, `KAOHE_EVIDENCE_TYPES`).
    public struct EvidencePolicy: Sendable {
        public var maxBytes: Int
        /// Lower-case file extensions, without the dot.
        public var extensions: Set<String>

        public static let standardExtensions: Set<String> = [
            "pdf", "ofd", "jpg", "jpeg", "png", "doc", "docx", "wps", "xls", "xlsx", "et", "txt",
        ]

        public init(maxBytes: Int = 20 * 1024 * 1024, extensions: Set<String> = EvidencePolicy.standardExtensions) {
            self.maxBytes = maxBytes
            self.extensions = extensions
        }

        /// The limit as people read it: 20 (MB).
        public var maxMegabytes: Int { maxBytes / 1024 / 1024 }
        /// The allow-list as people read it: doc、docx、…、xlsx.
        public var listedTypes: String { extensions.sorted().joined(separator: "、") }
    }

    /// Sign-in throttling (see `SignIn`): delays that grow with the failures of one client on one account, gentler
    /// ones for the account as a whole, and a cap on one client's failures before any password is checked.
    public struct SignInThrottle: Sendable {
        /// Failures of one client on one account before the delays start.
        public var freeFailures: Int
        /// Failures of one client, on any accounts, inside `window`; beyond them it is refused outright.
        public var maxFailuresPerClient: Int
        /// Failures on one account from all clients before it slows down for everyone.
        public var freeAccountFailures: Int
        public var window: TimeInterval

        public init(
            freeFailures: Int = 5, maxFailuresPerClient: Int = 30, freeAccountFailures: Int = 20,
            window: TimeInterval = 15 * 60
        ) {
            self.freeFailures = freeFailures
            self.maxFailuresPerClient = maxFailuresPerClient
            self.freeAccountFailures = freeAccountFailures
            self.window = window
        }

        /// 1 s after the free failures, doubling with each further one, at most the window.
        func delay(afterFailures count: Int) -> TimeInterval {
            guard count >= freeFailures else { return 0 }
            return min(window, pow(2, Double(min(count - freeFailures, 20))))
        }

        /// A second more for each failure past the free ones, at most 30 s: slow for a spray, bearable for the owner.
        func accountDelay(afterFailures count: Int) -> TimeInterval {
            guard count >= freeAccountFailures else { return 0 }
            return min(30, Double(count - freeAccountFailures + 1))
        }
    }

    public init(
        dataDirectory: String,
        database: DatabaseChoice,
        rubricsDirectory: String? = nil,
        adminPassword: String? = nil,
        demo: Bool = false,
        secureCookies: Bool = false,
        bcryptCost: Int = 12,
        sessionLifetime: TimeInterval = 8 * 3600,
        tokenLifetime: TimeInterval = 7 * 24 * 3600,
        signInThrottle: SignInThrottle = .init(),
        evidence: EvidencePolicy = .init(),
        trustForwardedFor: Bool = false
    ) {
        self.dataDirectory = dataDirectory
        self.database = database
        self.rubricsDirectory = rubricsDirectory
        self.adminPassword = adminPassword
        self.demo = demo
        self.secureCookies = secureCookies
        self.bcryptCost = bcryptCost
        self.sessionLifetime = sessionLifetime
        self.tokenLifetime = tokenLifetime
        self.signInThrottle = signInThrottle
        self.evidence = evidence
        self.trustForwardedFor = trustForwardedFor
    }

    /// Reads `KAOHE_DATA_DIR`, `DATABASE_URL`, `KAOHE_ADMIN_PASSWORD`, `KAOHE_PUBLIC_URL` and `KAOHE_RUBRICS_DIR`.
    /// The demo keeps its own data directory (`./data-demo`) unless `KAOHE_DATA_DIR` names one,
    /// so that a demo never writes into a real bureau's data.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        demo: Bool = false
    ) -> Settings {
        let dataDirectory = nonEmpty(environment["KAOHE_DATA_DIR"]) ?? (demo ? "./data-demo" : "./data")
        let database: DatabaseChoice
        if let url = nonEmpty(environment["DATABASE_URL"]) {
            database = .postgres(url: url)
        } else {
            database = .sqliteFile(path: (dataDirectory as NSString).appendingPathComponent("kaohe.sqlite"))
        }
        let publicURL = nonEmpty(environment["KAOHE_PUBLIC_URL"]) ?? ""
        return Settings(
            dataDirectory: dataDirectory,
            database: database,
            rubricsDirectory: shippedRubricsDirectory(environment),
            adminPassword: nonEmpty(environment["KAOHE_ADMIN_PASSWORD"]),
            demo: demo,
            secureCookies: publicURL.lowercased().hasPrefix("https://"),
            evidence: evidencePolicy(environment),
            trustForwardedFor: environment["KAOHE_TRUST_PROXY"] == "1"
        )
    }

    /// Tests: SQLite in memory, or the PostgreSQL named by `DATABASE_URL` so the same suite runs on both.
    public static func testing(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, rubricsDirectory: String? = nil
    ) -> Settings {
        let database: DatabaseChoice = nonEmpty(environment["DATABASE_URL"]).map { .postgres(url: $0) } ?? .sqliteMemory
        return Settings(
            dataDirectory: NSTemporaryDirectory() + "kaohe-test-\(UUID().uuidString)",
            database: database,
            rubricsDirectory: rubricsDirectory,
            bcryptCost: 4
        )
    }

    /// `KAOHE_RUBRICS_DIR`, else `./rubrics`, else the nearest `rubrics/` beside the executable or above it
    /// (a deployed copy, or `.build/…/debug/kaohe` in a checkout), so the shipped rubrics are found from anywhere.
    static func shippedRubricsDirectory(_ environment: [String: String]) -> String? {
        if let configured = nonEmpty(environment["KAOHE_RUBRICS_DIR"]) { return configured }
        let fileManager = FileManager.default
        let here = URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent("rubrics")
        if fileManager.fileExists(atPath: here.path) { return here.path }
        var directory = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<5 {
            let candidate = directory.appendingPathComponent("rubrics")
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("bureau-branch.yaml").path) {
                return candidate.path
            }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    static func evidencePolicy(_ environment: [String: String]) -> EvidencePolicy {
        var policy = EvidencePolicy()
        if let megabytes = nonEmpty(environment["KAOHE_EVIDENCE_MAX_MB"]).flatMap({ Int($0) }), megabytes > 0 {
            policy.maxBytes = megabytes * 1024 * 1024
        }
        if let types = nonEmpty(environment["KAOHE_EVIDENCE_TYPES"]) {
            policy.extensions = Set(
                types.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter {
                    !$0.isEmpty
                })
        }
        return policy
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return value
    }
}
