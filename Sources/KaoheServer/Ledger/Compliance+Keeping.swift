import Fluent
import KaoheCore

extension Compliance {
    /// Counts and keeps the reading of every branch and group that is not current — the day turned (a running
    /// quarter's pace is read as of today), or a change to the bureau moved every unit's epoch — in the quarters
    /// people read on deadline day: the latest opened (台账对照's own) and today's, fifty units at a time, so that
    /// the day's first 台账对照 and draft sheets read what is kept. The whole bureau's 台账对照 took 3.4 s when it
    /// counted 6,000 readings itself, 0.3 s once they were kept. An earlier quarter's are counted when read. Returns
    /// how many readings it counted.
    @discardableResult
    static func keepReadings(today: CalendarDay, on db: any Database) async throws -> Int {
        var quarters: [Quarter] = []
        if let latest = try await latestPeriod(on: db), latest.firstDay <= today { quarters.append(latest) }
        if let running = Quarter(of: today), !quarters.contains(running),
            try await Period.query(on: db).filter(\.$year == running.year).filter(\.$quarter == running.quarter)
                .count() > 0
        {
            quarters.append(running)
        }
        var counted = 0
        for quarter in quarters {
            for batch in try await listed(in: quarter, on: db).chunked(into: 50) {
                counted += try await read(batch, quarter: quarter, today: today, on: db).counted
                // Between batches the requests come first.
                await Task.yield()
            }
        }
        return counted
    }
}
