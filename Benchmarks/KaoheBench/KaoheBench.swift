import ArgumentParser
import FluentSQL
import Foundation
import KaoheCore
import KaoheServer

/// The measurements `scripts/bench` cannot take from outside the process. Each prints one JSON line: a figure
/// and the floor it is compared with, timed in the same run.
@main
struct KaoheBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kaohe-bench",
        abstract: "Kaohe 的基准测量 Benchmarks run by scripts/bench.",
        subcommands: [Scoring.self, InsertFloor.self]
    )
}

/// Scoring N branches × Q quarters with KaoheCore against only decoding the same sheets (`kaohe score`'s input):
/// the engine should cost little beyond reading its input.
struct Scoring: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "计分与仅解码的对比 Scoring against decoding the same entries.")

    @Option(help: "党支部数 Branches.") var branches = 1_000
    @Option(help: "季度数 Quarters.") var quarters = 4
    @Option(help: "重复次数，取最快一次 Repetitions; the fastest counts.") var repeats = 5
    @Option(help: "细则文件 The rubric.") var rubric = "rubrics/bureau-branch.yaml"

    func run() throws {
        let rubric = try RubricLoader.load(
            yaml: String(contentsOfFile: self.rubric, encoding: .utf8), file: self.rubric)
        var synthetic = SyntheticEntries(seed: 1)
        var sheets: [UnitSheet] = []
        for quarter in 1...quarters {
            for branch in 1...branches {
                let entries = synthetic.entries(for: .branch, rubric: rubric, finished: true).map(\.entry)
                sheets.append(UnitSheet(unit: "branch-\(branch)-q\(quarter)", entries: entries))
            }
        }
        let json = try JSONEncoder().encode(ScoreRequest(units: sheets))
        let decode = try fastest { _ = try ScoreRequest(json: json) }
        let score = try fastest { _ = try ScoreReport(rubric: rubric, request: try ScoreRequest(json: json)) }
        let figures: [String: Double] = [
            "sheets": Double(sheets.count), "entries": Double(sheets.map(\.entries.count).reduce(0, +)),
            "decodeSeconds": decode, "scoreSeconds": score, "ratio": score / decode,
        ]
        print(
            String(decoding: try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys]), as: UTF8.self)
        )
    }

    private func fastest(_ body: () throws -> Void) throws -> Double {
        var best = Double.infinity
        for _ in 0..<repeats {
            let started = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - started
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return best
    }
}

/// The floor for entry writes: one plain INSERT after another into a scratch table of the configured database,
/// each its own statement and commit, as fast as one connection goes.
struct InsertFloor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insert-floor", abstract: "数据库插入的下限 A plain INSERT loop.")

    @Option(help: "持续秒数 Seconds to insert for.") var seconds = 5.0

    func run() async throws {
        try await KaoheServerApp.withApplication(settings: .fromEnvironment()) { app in
            guard let sql = app.db as? any SQLDatabase else { throw ValidationError("not an SQL database") }
            try await sql.raw("DROP TABLE IF EXISTS bench_floor").run()
            try await sql.raw(
                "CREATE TABLE bench_floor (id TEXT PRIMARY KEY, sheet TEXT NOT NULL, rule TEXT NOT NULL, note TEXT NOT NULL)"
            ).run()
            let started = ContinuousClock.now, deadline = started + .milliseconds(Int(seconds * 1000))
            var rows = 0
            while ContinuousClock.now < deadline {
                try await sql.insert(into: "bench_floor").columns("id", "sheet", "rule", "note")
                    .values(
                        SQLBind(UUID().uuidString), SQLBind("branch-\(rows % 1000)"), SQLBind("2.1.a"), SQLBind("基准测试")
                    ).run()
                rows += 1
            }
            let elapsed = ContinuousClock.now - started
            let spent = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            try await sql.raw("DROP TABLE bench_floor").run()
            let figures: [String: Double] = ["rows": Double(rows), "seconds": spent, "perSecond": Double(rows) / spent]
            print(
                String(
                    decoding: try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys]), as: UTF8.self
                ))
        }
    }
}
