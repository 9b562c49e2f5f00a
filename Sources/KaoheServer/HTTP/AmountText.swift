import Foundation

/// An amount as sent, number or text: a non-numeric one is refused by `Penalties.amount` (422 naming it), not
/// by the decoder (400).
struct AmountText: Codable, Sendable {
    let text: String

    init(text: String) { self.text = text }

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if let number = try? value.decode(Double.self) {
            text = "\(number)"
        } else if let string = try? value.decode(String.self) {
            text = string
        } else {
            text = ""
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
