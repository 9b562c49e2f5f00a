import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Every link a page offers leads somewhere its reader may go: for each demo role, the pages reachable from the
    /// home page are followed link by link, and none answers 404, 403 or 5xx. A renamed route that leaves a link
    /// behind fails here.
    @Suite struct LinksTests {
        @Test func everyLinkOfEveryPageForEveryDemoRoleLeadsSomewhere() async throws {
            try await withKaohe({ $0.demo = true }, bootstrap: true) { app in
                var broken: [String] = []
                var followed = 0
                for user in DemoBureau.users.map(\.username) {
                    let browser = Browser(app)
                    try await browser.signIn(user, DemoBureau.password)
                    let crawl = try await Self.crawl(from: "/", with: browser)
                    followed += crawl.followed
                    broken += crawl.broken.map { "\(user): \($0)" }
                }
                #expect(broken.isEmpty, "\(broken.joined(separator: "\n"))")
                #expect(followed > 200, "the crawl reached \(followed) addresses")
            }
        }

        /// What a crawl found: how many addresses it followed and the links that led nowhere, with the page that
        /// offered each.
        struct Crawl {
            var followed = 0
            var broken: [String] = []
        }

        /// Breadth first from `start`, through every same-site link (`href`) of every HTML page. Addresses of one
        /// shape (the same route with other units or ids) are followed a few times, not all, so the crawl covers
        /// every route without reading every sheet of the bureau.
        static func crawl(from start: String, with browser: Browser) async throws -> Crawl {
            var crawl = Crawl()
            var queue: [(path: String, from: String)] = [(start, "(start)")]
            var seen: Set<String> = [start]
            var shapes: [String: Int] = [:]
            while !queue.isEmpty {
                let (path, from) = queue.removeFirst()
                let response = try await browser.get(path)
                crawl.followed += 1
                // A page offers only where its reader may go: a link to a refusal is as broken as one to nowhere.
                if response.status == .notFound || response.status == .forbidden || response.status.code >= 500 {
                    crawl.broken.append("\(path) → \(response.status.code) (linked from \(from))")
                    continue
                }
                guard response.status == .ok,
                    response.headers.contentType?.subType == "html",
                    response.headers.first(name: .contentDisposition) == nil
                else { continue }
                for link in links(in: response.body.string, on: path) where !seen.contains(link) {
                    seen.insert(link)
                    let shape = shape(of: link)
                    guard shapes[shape, default: 0] < 2 else { continue }
                    shapes[shape, default: 0] += 1
                    queue.append((link, path))
                }
            }
            return crawl
        }

        /// The same-site addresses a page links to, as a browser resolves them; signing out is not followed.
        static func links(in html: String, on page: String) -> [String] {
            let pattern = /href="([^"]*)"/
            return html.matches(of: pattern).compactMap { match -> String? in
                let raw = String(match.output.1)
                    .replacingOccurrences(of: "&amp;", with: "&")
                    .replacingOccurrences(of: "&#39;", with: "'")
                    .replacingOccurrences(of: "&quot;", with: "\"")
                let link: String
                if raw.hasPrefix("/") && !raw.hasPrefix("//") {
                    link = raw
                } else if raw.hasPrefix("?") {
                    link = String(page.split(separator: "?", maxSplits: 1).first ?? "") + raw
                } else {
                    return nil  // another site, a fragment of this page, mailto:
                }
                let withoutFragment = String(
                    link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
                guard !withoutFragment.isEmpty, !withoutFragment.hasPrefix("/css/"), withoutFragment != "/logout"
                else { return nil }
                return withoutFragment
            }
        }

        /// `/periods/2026Q3/sheets/branch-1-group-2` → `/periods/2026Q3/sheets/U`: one shape for a route's addresses
        /// in one quarter (quarters and years are few, and a published one offers other links than one in progress).
        static func shape(of link: String) -> String {
            let parts = link.split(separator: "?", maxSplits: 1)
            let path = parts[0].split(separator: "/").map { segment -> String in
                if segment.wholeMatch(of: /(general|branch|group|member)[-\w]*/) != nil { return "U" }
                if UUID(uuidString: String(segment)) != nil || segment.wholeMatch(of: /\d+/) != nil { return "N" }
                return String(segment)
            }
            let keys =
                parts.count > 1
                ? parts[1].split(separator: "&").map { $0.split(separator: "=").first.map(String.init) ?? "" }.sorted()
                : []
            return "/" + path.joined(separator: "/") + "?" + keys.joined(separator: "&")
        }
    }
}
