import ArgumentParser
import Foundation
import KaoheCore

/// Reading the files a command names, and printing problems the way every command does:
/// nothing on stdout, one line per problem on stderr, exit code 1.
enum InputFiles {
    static func text(atPath path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail(["\(path): cannot read the file"])
        }
        guard let text = String(data: data, encoding: .utf8) else { throw fail(["\(path): not UTF-8 text"]) }
        return text
    }

    /// The file's bytes, or standard input for `-`.
    static func data(atPath path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail(["\(path): cannot read the file"])
        }
        return data
    }

    /// Prints each message on its own line to stderr and gives the exit code to throw.
    static func fail(_ messages: [String]) -> ExitCode {
        let text = messages.map { $0 + "\n" }.joined()
        FileHandle.standardError.write(Data(text.utf8))
        return ExitCode(1)
    }

    static func print(_ data: Data) {
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

/// The two files `kaohe score` and `kaohe annual` read, and the one way both answer: the report on stdout,
/// or every problem on stderr with exit code 1.
struct ContractFiles: ParsableArguments {
    @Option(name: .long, help: "实施细则 YAML 文件 / The rubric YAML file.")
    var rubric: String

    @Option(name: .long, help: "输入 JSON 文件，- 为标准输入 / The input JSON file, - for stdin.")
    var input: String = "-"

    func run(_ contract: (_ rubricYAML: String, _ rubricFile: String, _ input: Data) -> Result<Data, ContractFailure>)
        throws
    {
        let yaml = try InputFiles.text(atPath: rubric)
        let data = try InputFiles.data(atPath: input)
        switch contract(yaml, rubric, data) {
        case .success(let report): InputFiles.print(report)
        case .failure(let failure): throw InputFiles.fail(failure.messages)
        }
    }
}
