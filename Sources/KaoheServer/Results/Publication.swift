import Fluent
import KaoheCore
import Vapor

extension Sheets {
    /// 公布 (办法 六): the organizer publishes the period once every branch's sheet is approved. Publishing again
    /// after an upheld objection publishes the sheets approved since; the first publication day is kept.
    /// Only the general branch's organizer publishes; the check is here, for the API and the page alike.
    /// A branch sheet in `state` keeps its period from being published: it is neither approved nor published yet.
    static func holdsUpPublication(_ state: SheetState) -> Bool {
        state != .approved && state != .published
    }

    /// A quarter's results are published once it is over: its last weeks still bring findings (the ledger's
    /// shortfalls of the year fall to Q4), and a result published early would stand without them. 409 naming the day.
    static func requireEnded(_ period: Period, today: CalendarDay) throws {
        guard let quarter = Quarter(code: period.code), today > quarter.lastDay else {
            let last = Quarter(code: period.code)?.lastDay.description ?? period.code
            throw Abort(.conflict, reason: "\(period.code) 到 \(last) 才结束，结束后才能公布 (the quarter has not ended)")
        }
    }

    static func publish(_ period: Period, by user: User, today: CalendarDay, on db: any Database) async throws {
        try Policy.requireBureauRole(
            try await Access.roles(of: user, on: db), Policy.publishers,
            "只有组织委员可以公布考核结果 (only the organizer publishes)")
        let actor = user.username
        try requireEnded(period, today: today)
        try await db.writeTransaction { db in
            let sheets = try await Sheet.query(on: db).filter(\.$period.$id == period.requireID())
                .filter(\.$level == Unit.Kind.branch).sort(\.$unitCode).all()
            let waiting = sheets.filter { holdsUpPublication($0.state) }
            guard waiting.isEmpty else {
                let names = waiting.map { "\($0.unitCode)（\($0.state.label)）" }
                throw Abort(
                    .conflict, reason: "尚有考核表未审核确定，不能公布：\(names.joined(separator: "、")) (every sheet must be approved)")
            }
            let approved = sheets.filter { $0.state == .approved }
            guard !approved.isEmpty else {
                throw Abort(.conflict, reason: "\(period.code) 没有待公布的考核表 (nothing to publish)")
            }
            for sheet in approved {
                let read = sheet.version
                sheet.state = try Workflow.apply(.publish, to: .approved)
                try await recordPublication(
                    sheet, rubric: await RubricStore.rubric(id: sheet.$rubric.id, on: db), today: today, on: db)
                sheet.version = read + 1
                try await saveMove(sheet, from: read, on: db)
            }
            let first = period.publishedOn == nil
            period.state = .published
            if first {
                period.publishedAt = Date()
                period.publishedOn = today.description
            }
            try await period.save(on: db)
            try await Results.store(period, level: .branch, on: db)
            try await AuditLog.append(
                on: db, actor: actor, action: first ? .periodPublish : .periodRepublish,
                subject: .period(period.code), after: ["sheets": approved.map(\.unitCode)])
        }
    }

    /// What publishing a sheet records, for a branch's period and a group's or member's sheet alike: the day, the
    /// score as published (the board's, until the next publication), and the outcome of the upheld objection the
    /// new result settles.
    static func recordPublication(_ sheet: Sheet, rubric: Rubric, today: CalendarDay, on db: any Database) async throws
    {
        let report = UnitReport(try score(sheet, entries: try await sheet.entries(on: db).all(), rubric: rubric))
        sheet.publishedOn = today.description
        sheet.publishedScore = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        if let objection = try await Objection.query(on: db).filter(\.$sheet.$id == sheet.requireID())
            .filter(\.$state == .upheld).filter(\.$afterTotal == nil).first()
        {
            objection.afterTotal = "\(report.total)"
            objection.afterGrade = report.gradeLabel
            try await objection.save(on: db)
        }
    }

    /// The score block as last published; for a sheet published before snapshots were kept, as it scores now
    /// (nothing changes a published sheet but a re-review).
    static func publishedReport(of sheet: Sheet, on db: any Database) async throws -> UnitReport? {
        if let snapshot = sheet.publishedScore,
            let report = try? JSONDecoder().decode(UnitReport.self, from: Data(snapshot.utf8))
        {
            return report
        }
        guard sheet.publishedOn != nil else { return nil }
        let rubric = try await RubricStore.rubric(id: sheet.$rubric.id, on: db)
        return UnitReport(try score(sheet, entries: try await sheet.entries(on: db).all(), rubric: rubric))
    }
}
