import Foundation
import Vapor

extension Request {
    /// A query value as the address writes it. Vapor's decoder answers nil for a value it cannot take (a number of
    /// twenty digits, for one), which a route would read as "left out"; a value read here is refused by its route
    /// instead, naming the field.
    func written(_ name: String) -> String? {
        URLComponents(string: url.string)?.queryItems?.first { $0.name == name }?.value
    }
}
