import Crypto
import Fluent
import FluentSQL
import Foundation
import SQLKit
import Vapor

/// The append-only, hash-chained record of every change: who, when, what, before and after.
enum AuditLog {
    /// The `previousHash` of the first event.
    static let genesis = String(repeating: "0", count: 64)

    /// Appends one event. Call it inside the transaction that makes the change, so the change and its
    /// record commit together or not at all.
    static func append(
        on db: any Database, actor: String, action: AuditAction, subject: AuditSubject,
        before: (any Encodable)? = nil, after: (any Encodable)? = nil, at date: Date = Date()
    ) async throws {
        let (kind, action, subject) = (action, action.code, subject.code)
        let last = try await holdTail(db)
        let seq = last.seq + 1
        let previousHash = last.hash
        let at = timestamp(date)
        let beforeText = try before.map(canonicalJSON)
        let afterText = try after.map(canonicalJSON)
        let hash = digest(
            seq: seq, at: at, actor: actor, action: action, subject: subject,
            before: beforeText, after: afterText, previousHash: previousHash)
        try await AuditEvent(
            seq: seq, at: at, actor: actor, action: action, subject: subject,
            before: beforeText, after: afterText, previousHash: previousHash, hash: hash
        ).create(on: db)
        // The tail follows by the database's own trigger (M020), in the same transaction.
        if kind.movesReadings { try await LedgerEpoch.advanceBureau(on: db) }
    }

    /// The first event whose link or content does not match, if any.
    struct Break: Equatable, CustomStringConvertible {
        let seq: Int
        let reason: String
        var description: String { "事件 #\(seq): \(reason)" }
    }

    struct Verification {
        let count: Int
        let firstBreak: Break?
        /// The newest event's number and hash: what the operator keeps outside the database, since whoever can
        /// delete the newest events can rewrite the tail kept beside them.
        var head: (seq: Int, hash: String)? = nil
    }

    /// The chain verified, and the head the operator kept (`kaohe audit verify --expect HASH`) still in it, at
    /// the place it had: an attacker who deleted the newest events and rewrote the tail cannot put it back.
    static func verify(on db: any Database, expecting kept: String?) async throws -> Verification {
        let verification = try await verify(on: db)
        guard let kept, verification.firstBreak == nil else { return verification }
        let hash = kept.split(separator: ":").last.map(String.init)?.lowercased() ?? ""
        let event = try await AuditEvent.query(on: db).filter(\.$hash == hash).first()
        guard event == nil else { return verification }
        return Verification(
            count: verification.count,
            firstBreak: Break(
                seq: verification.head.map { $0.seq + 1 } ?? 1,
                reason: "保存的链头 \(hash.prefix(12))… 已不在链中：其后的事件连同它已被删除或改写 (the kept head is gone)"),
            head: verification.head)
    }

    static func verify(on db: any Database) async throws -> Verification {
        let events = try await AuditEvent.query(on: db).sort(\.$seq).all()
        var previousHash = genesis
        for (index, event) in events.enumerated() {
            let expectedSeq = index + 1
            if event.seq != expectedSeq {
                return Verification(
                    count: events.count,
                    firstBreak: Break(seq: expectedSeq, reason: "缺失（序号跳到 #\(event.seq)）(missing event)"))
            }
            if event.previousHash != previousHash {
                return Verification(
                    count: events.count,
                    firstBreak: Break(seq: event.seq, reason: "与前一事件的链接不符 (previous hash mismatch)"))
            }
            let recomputed = digest(
                seq: event.seq, at: event.at, actor: event.actor, action: event.action,
                subject: event.subject, before: event.before, after: event.after,
                previousHash: event.previousHash)
            if recomputed != event.hash {
                return Verification(
                    count: events.count,
                    firstBreak: Break(seq: event.seq, reason: "内容与哈希不符，记录被改动 (content does not match its hash)"))
            }
            previousHash = event.hash
        }
        // The chain is whole as far as it goes; the tail says how far it went.
        let tail = try await AuditTail.find(AuditTail.only, on: db)
        let last = events.last
        if let tail, tail.seq != (last?.seq ?? 0) || tail.hash != (last?.hash ?? genesis) {
            let reason =
                tail.seq > (last?.seq ?? 0)
                ? "最新的事件已被删除（应到 #\(tail.seq)，现只到 #\(last?.seq ?? 0)）(the newest events are missing)"
                : "与记录的链尾不符 (does not match the recorded tail)"
            return Verification(
                count: events.count, firstBreak: Break(seq: min(tail.seq, (last?.seq ?? 0) + 1), reason: reason))
        }
        if tail == nil, let last {
            return Verification(
                count: events.count, firstBreak: Break(seq: last.seq, reason: "链尾记录缺失 (the tail record is missing)"))
        }
        return Verification(count: events.count, firstBreak: nil, head: last.map { ($0.seq, $0.hash) })
    }

    static func digest(
        seq: Int, at: String, actor: String, action: String, subject: String,
        before: String?, after: String?, previousHash: String
    ) -> String {
        // Length-prefixed fields: no choice of values can make two different events hash alike.
        let fields = [String(seq), at, actor, action, subject, before ?? "\u{0}", after ?? "\u{0}", previousHash]
        let text = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return SHA256.hash(data: Data(text.utf8)).hex
    }

    static func canonicalJSON(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    /// A chain position: an event's number and hash.
    private struct Link: Decodable { let seq: Int; let hash: String }

    /// The tail this event extends, held until the transaction ends so that two writers never extend the same one.
    /// PostgreSQL: the tail's row lock, taken by the read itself — a writer that waited for it reads the tail its
    /// predecessor committed (READ COMMITTED re-reads a locked row once it is free), so holding and reading are one
    /// round trip of every write, not an advisory lock and then a read. SQLite serialises writers itself.
    /// The chain is extended from its recorded tail, not from its newest surviving event: an event appended after the
    /// newest were deleted leaves their gap in the chain instead of closing it.
    private static func holdTail(_ db: any Database) async throws -> Link {
        let sql = db.sql
        let forUpdate = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        let read: @Sendable () async throws -> Link? = {
            try await sql.raw(
                """
                SELECT seq, hash FROM \(ident: AuditTail.schema) WHERE id = \(bind: AuditTail.only)\(unsafeRaw: forUpdate)
                """
            ).first(decoding: Link.self)
        }
        if let tail = try await read() { return tail }
        // No tail yet (an empty chain) or its record deleted: set it from the chain as it stands, then hold it as every
        // writer does. Two writers here both insert; the second's insert waits for the first and does nothing, and
        // its read then waits for the first's commit.
        let newest =
            try await sql.raw("SELECT seq, hash FROM \(ident: AuditEvent.schema) ORDER BY seq DESC LIMIT 1")
            .first(decoding: Link.self) ?? Link(seq: 0, hash: genesis)
        try await sql.raw(
            """
            INSERT INTO \(ident: AuditTail.schema) (id, seq, hash) VALUES (\(bind: AuditTail.only), \(bind: newest.seq), \(bind: newest.hash))
            ON CONFLICT (id) DO NOTHING
            """
        ).run()
        guard let tail = try await read() else { throw Abort(.internalServerError, reason: "audit tail missing") }
        return tail
    }
}
