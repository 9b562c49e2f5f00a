import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    /// Uploads arrive in the receiving server's own area under `incoming/`. Any `kaohe` command run beside the
    /// server (the nightly `backup`, `audit verify`, `migrate`, `user create`) emptied `incoming/` at its start and
    /// broke the uploads in flight (9 of 9 answered 500); now a process clears only what ended processes left.
    @Suite struct IncomingAreaTests {
        @Test func aCommandBesideTheServerLeavesItsUploadsInFlightAndClearsACrashesLeftovers() async throws {
            try await withKaohe { app in
                let fileManager = FileManager.default
                let inFlight = try IncomingArea.of(app).directory.appendingPathComponent("request/part")
                try fileManager.createDirectory(
                    at: inFlight.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data("半个文件".utf8).write(to: inFlight)
                // What a server killed mid-upload left: its area, its lock no longer held by anyone.
                let crashed = IncomingArea.root(app.kaoheSettings).appendingPathComponent("crashed")
                try fileManager.createDirectory(at: crashed, withIntermediateDirectories: true)
                try Data().write(to: crashed.appendingPathComponent(".lock"))
                try Data("残片".utf8).write(to: crashed.appendingPathComponent("part"))

                // act: what every kaohe command does as it starts
                IncomingArea.clearAbandoned(app.kaoheSettings)

                #expect(fileManager.fileExists(atPath: inFlight.path), "a live server's upload is untouched")
                #expect(!fileManager.fileExists(atPath: crashed.path), "a crash's leftovers are gone")
                let area = try IncomingArea.of(app).directory.standardizedFileURL.path
                #expect(inFlight.standardizedFileURL.path.hasPrefix(area + "/"), "one area for the process's life")
            }
        }
    }
}
