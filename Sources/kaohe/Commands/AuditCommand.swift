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
            abstract: "校验审计链 Check every event's hash and link; exits 1 naming the first broken event.",
            discussion: """
                Prints the chain's head (number:hash). Keep it outside the server (a note, a mail to yourself): \
                whoever can delete the newest events can also rewrite the tail the database keeps, but not the \
                head you kept. The next run with --expect checks that head is still in the chain.
                """
        )

        @Option(help: "An earlier run's head (number:hash or hash) that must still be in the chain.")
        var expect: String?

        func run() async throws {
            try await reportingSettingsErrors {
                let report = try await KaoheServerApp.verifyAuditChain(settings: .fromEnvironment(), expect: expect)
                if let firstBreak = report.firstBreak {
                    FileHandle.standardError.write(Data("审计校验未通过 Audit verification failed: \(firstBreak)\n".utf8))
                    throw ExitCode(1)
                }
                print("审计链完好，共 \(report.count) 个事件 Audit chain intact: \(report.count) events.")
                if let head = report.head {
                    print("链头 Head: \(head)（请另行保存，下次用 --expect 核对 keep it elsewhere; check it with --expect）")
                }
            }
        }
    }
}
