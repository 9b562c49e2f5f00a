import Foundation

/// 细则 2.8: 按规定及时收缴党费，并于每月{duesDay}日前上交总支组织委员，按月在《党费证》上登记签字. One month of a
/// unit's dues as recorded: each member's payment and the month's hand-over to the organizer.
public struct DuesMonth: Sendable, Equatable, Codable {
    /// The month's first day.
    public var month: CalendarDay
    public var handedOverOn: CalendarDay?
    public var payments: [DuesPayment]

    public init(month: CalendarDay, handedOverOn: CalendarDay?, payments: [DuesPayment]) {
        self.month = month
        self.handedOverOn = handedOverOn
        self.payments = payments
    }

    /// `2026-08`.
    public var code: String { String(month.description.prefix(7)) }
}

public struct DuesPayment: Sendable, Equatable {
    public var member: String
    public var amount: Decimal
    /// What the member owes that month, when the secretary records it: paying less is 未足额.
    public var due: Decimal?
    public var paidOn: CalendarDay?
    /// Signed in the member's 《党费证》.
    public var signed: Bool

    public init(member: String, amount: Decimal, due: Decimal? = nil, paidOn: CalendarDay?, signed: Bool) {
        self.member = member
        self.amount = amount
        self.due = due
        self.paidOn = paidOn
        self.signed = signed
    }
}

/// Amounts travel as their decimal text (`"12.50"`), never through a binary floating point.
extension DuesPayment: Codable {
    private enum CodingKeys: String, CodingKey { case member, amount, due, paidOn, signed }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func decimal(_ text: String, _ key: CodingKeys) throws -> Decimal {
            guard let value = Decimal(string: text, locale: nil) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not a number")
            }
            return value
        }
        member = try container.decode(String.self, forKey: .member)
        amount = try decimal(try container.decode(String.self, forKey: .amount), .amount)
        due = try container.decodeIfPresent(String.self, forKey: .due).map { try decimal($0, .due) }
        paidOn = try container.decodeIfPresent(CalendarDay.self, forKey: .paidOn)
        signed = try container.decode(Bool.self, forKey: .signed)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(member, forKey: .member)
        try container.encode("\(amount)", forKey: .amount)
        try container.encodeIfPresent(due.map { "\($0)" }, forKey: .due)
        try container.encodeIfPresent(paidOn, forKey: .paidOn)
        try container.encode(signed, forKey: .signed)
    }
}

public enum DuesCheck {
    /// What a recorded month falls short of.
    public struct Finding: Sendable, Equatable {
        public enum Kind: String, Sendable { case unpaid, short, unsigned, lateHandover }
        public var kind: Kind
        public var month: String
        /// The member concerned; nil for the month's hand-over.
        public var member: String?

        public init(kind: Kind, month: String, member: String?) {
            self.kind = kind
            self.month = month
            self.member = member
        }
    }

    /// The findings of the recorded months as of `asOf`: a member of `members` with no payment (or nothing paid),
    /// a payment below what was due, a payment not signed in the 《党费证》, and a hand-over after `duesDay` of the
    /// month. A month not handed over at all, or with no record at all, is the ledger's monthly requirement's
    /// (党费上交 每月不少于 1 次) to count, once.
    public static func findings(_ months: [DuesMonth], members: [String], duesDay: Int, asOf: CalendarDay) -> [Finding]
    {
        var found: [Finding] = []
        for month in months.sorted(by: { $0.month < $1.month }) {
            let paid = Dictionary(month.payments.map { ($0.member, $0) }, uniquingKeysWith: { a, _ in a })
            for member in members {
                guard let payment = paid[member], payment.amount > 0 else {
                    found.append(Finding(kind: .unpaid, month: month.code, member: member))
                    continue
                }
                if let due = payment.due, payment.amount < due {
                    found.append(Finding(kind: .short, month: month.code, member: member))
                }
                if !payment.signed { found.append(Finding(kind: .unsigned, month: month.code, member: member)) }
            }
            let deadline = CalendarDay(
                year: month.month.year, month: month.month.month,
                day: min(max(duesDay, 1), CalendarDay.days(in: month.month.month, of: month.month.year)))!
            if let handed = month.handedOverOn, handed > deadline {
                found.append(Finding(kind: .lateHandover, month: month.code, member: nil))
            }
        }
        return found
    }
}
