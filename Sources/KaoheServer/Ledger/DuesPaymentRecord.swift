import Fluent
import Foundation

/// One member's payment in a month, as the 《党费证》 shows it. Amounts are Decimal as text, kept exactly.
final class DuesPaymentRecord: Model, @unchecked Sendable {
    static let schema = "dues_payments"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "month") var month: String
    @Field(key: "member_code") var memberCode: String
    @Field(key: "amount") var amount: String
    @OptionalField(key: "due") var due: String?
    @OptionalField(key: "paid_on") var paidOn: String?
    @Field(key: "signed") var signed: Bool

    var properties: [any AnyProperty] { [$id, $unitCode, $month, $memberCode, $amount, $due, $paidOn, $signed] }

    init() {}
}
