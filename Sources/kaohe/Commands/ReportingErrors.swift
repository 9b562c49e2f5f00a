import ArgumentParser
import Foundation
import KaoheServer

/// Configuration and account problems end the command with their message on stderr and exit code 1,
/// not with a stack of framework text.
func reportingSettingsErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as SettingsError {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(1)
    } catch let error as Accounts.Problem {
        FileHandle.standardError.write(Data((error.description + "\n").utf8))
        throw ExitCode(1)
    }
}
