import ArgumentParser
import Foundation
import KaoheServer

struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "活动台账 The ledgers' kept figures.",
        subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "重算台账 Count every unit's ledger again and compare the figures its writes kept; exits 1 on a difference.",
            discussion: """
                Each record, import, dues month, document, completion mark and roster change brings its units' kept \
                figures up to date in the same transaction; sheets, inboxes and 台账对照 read only those. This \
                recounts them all from the rows and names each unit and year that differs. With --repair the fresh \
                count replaces the kept one.
                """
        )

        @Flag(help: "Keep the fresh count where it differs.")
        var repair = false

        func run() async throws {
            try await reportingSettingsErrors {
                let found = try await KaoheServerApp.checkLedgers(
                    settings: .fromEnvironment(), repair: repair, progress: ProgressBar().update)
                guard found.isEmpty else {
                    for line in found { FileHandle.standardError.write(Data((line + "\n").utf8)) }
                    let done = repair ? "，已按重算修复 (repaired)" : "（--repair 按重算修复 repairs them)"
                    FileHandle.standardError.write(
                        Data("台账不一致 Ledger figures differ: \(found.count) 处\(done)\n".utf8))
                    throw ExitCode(1)
                }
                print("台账一致 Every kept ledger figure matches a recount.")
            }
        }
    }
}
