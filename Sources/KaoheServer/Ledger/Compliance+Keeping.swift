import Fluent
import KaoheCore

extension Compliance {
    /// Counts and keeps the reading of every branch and group of this year's begun quarters that is not current —
    /// the day turned (a running quarter's pace is read as of today), or a change to the bureau moved every unit's
    /// epoch — fifty units at a time, so that the day's first 台账对照 and draft sheets read what is kept. The whole
    /// bureau's 台账对照 took 3.4 s when it counted 6,000 readings itself, 0.3 s once they were kept. Returns how
    /// many readings it counted.
    @discardableResult
    static func keepReadings(today: CalendarDay, on db: any Database) async throws -> Int {
        let periods = try await Period.query(on: db).filter(\.$year == today.year).all()
        var counted = 0
        for period in periods {
            guard let quarter = Quarter(year: period.year, quarter: period.quarter), quarter.firstDay <= today else {
                continue
            }
            for batch in try await listed(in: quarter, on: db).chunked(into: 50) {
                counted += try await read(batch, quarter: quarter, today: today, on: db).counted
                // Between batches the requests come first.
                await Task.yield()
            }
        }
        return counted
    }
}
