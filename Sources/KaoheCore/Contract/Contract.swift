import Foundation

/// The whole of `kaohe score` and `kaohe annual` as pure functions: rubric text and input JSON in, report JSON
/// or every problem out. The command line only reads the files and prints.
public enum Contract {
    /// `kaohe score`: the report JSON, or one message per problem (rubric problems first; when the rubric is
    /// valid, every problem of the input's shape and of its entries against the rubric).
    public static func score(rubricYAML: String, rubricFile: String, input: Data) -> Result<Data, ContractFailure> {
        run(rubricYAML: rubricYAML, rubricFile: rubricFile) { rubric throws(EntryProblems) in
            let reading = ScoreInputReading(try JSONValue.parse(input))
            let scorer = Scorer(rubric: rubric)
            let problems = inUnitOrder(
                reading.log.problems + reading.log.unlessMalformed(scorer.problems(in: reading.request.units)),
                units: reading.request.units.map(\.unit)
            )
            guard problems.isEmpty else { throw EntryProblems(problems) }
            return try ScoreReport(rubric: rubric, request: reading.request)
        }
    }

    /// `kaohe annual`: the report JSON, or one message per problem.
    public static func annual(rubricYAML: String, rubricFile: String, input: Data) -> Result<Data, ContractFailure> {
        run(rubricYAML: rubricYAML, rubricFile: rubricFile) { rubric throws(EntryProblems) in
            let reading = AnnualInputReading(try JSONValue.parse(input))
            let selection = AnnualSelection(rubric: rubric)
            let problems = inUnitOrder(
                reading.log.problems + reading.log.unlessMalformed(selection.problems(in: reading.request.units)),
                units: reading.request.units.map(\.unit)
            )
            guard problems.isEmpty else { throw EntryProblems(problems) }
            return try AnnualReport(rubric: rubric, request: reading.request)
        }
    }

    /// Pretty-printed JSON with sorted keys; numbers are JSON numbers written from their exact decimals.
    public static func json<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Problems of the input as a whole first, then unit by unit and entry by entry, as the input lists them.
    static func inUnitOrder(_ problems: [EntryProblem], units: [String]) -> [EntryProblem] {
        let position = Dictionary(units.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        func key(_ problem: EntryProblem) -> (Int, Int) {
            (problem.unit.flatMap { position[$0] } ?? -1, problem.entry ?? 0)
        }
        return problems.enumerated().sorted { a, b in
            let (ka, kb) = (key(a.element), key(b.element))
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
    }

    private static func run<Report: Encodable>(
        rubricYAML: String, rubricFile: String, _ body: (Rubric) throws(EntryProblems) -> Report
    ) -> Result<Data, ContractFailure> {
        do {
            let rubric = try RubricLoader.load(yaml: rubricYAML, file: rubricFile)
            do {
                return .success(try json(try body(rubric)))
            } catch let problems as EntryProblems {
                return .failure(ContractFailure(problems.messages))
            } catch {
                return .failure(ContractFailure(["cannot write the report: \(error)"]))
            }
        } catch {
            return .failure(ContractFailure(error.messages))
        }
    }
}

/// Why a contract call produced no report: one message per problem.
public struct ContractFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var messages: [String]

    public init(_ messages: [String]) { self.messages = messages }

    public var description: String { messages.joined(separator: "\n") }
}
