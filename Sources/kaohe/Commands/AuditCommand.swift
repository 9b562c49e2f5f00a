import ArgumentParser
import Foundation
import KaoheServer

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "审计日志 The hash-chained audit log.",
        subcommands: [Verify.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "校验审计链 Check every event's hash and link; exits 1 naming the first broken event."
        )

        func run() async throws {
            try await reportingSettingsErrors {
                let (count, firstBreak) = try await KaoheServerApp.verifyAuditChain(settings: .fromEnvironment())
                if let firstBreak {
                    FileHandle.standardError.write(Data("审计校验未通过 Audit verification failed: \(firstBreak)\n".utf8))
                    throw ExitCode(1)
                }
                print("审计链完好，共 \(count) 个事件 Audit chain intact: \(count) events.")
            }
        }
    }
}
