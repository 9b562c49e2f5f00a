import Foundation

extension Decimal {
    /// An exact decimal fraction: `Decimal(units: 15, scale: 2)` is 0.15. Constants are written this way
    /// because a float literal would pass through binary floating point first.
    public init(units: Int, scale: Int) {
        self.init(sign: units < 0 ? .minus : .plus, exponent: -scale, significand: Decimal(units.magnitude))
    }

    /// Rounded half-up (half away from zero) to `scale` decimals: points and money for output.
    public func rounded(scale: Int = 2) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, scale, .plain)
        return result
    }

    /// True when the value has no fractional part.
    var isWhole: Bool { self == rounded(scale: 0) }

    /// The value as an `Int` when it is whole and fits, else nil.
    var wholeNumber: Int? {
        guard isWhole, self >= Decimal(Int.min), self <= Decimal(Int.max) else { return nil }
        return NSDecimalNumber(decimal: self).intValue
    }

    /// Parses the plain decimal notation of YAML and JSON numbers (`-3`, `0.25`, `1e2`), nothing else:
    /// `Decimal(string:)` alone would accept `12abc` as 12.
    init?(exactly text: String) {
        guard text.wholeMatch(of: /[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?/) != nil,
            let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), !value.isNaN
        else { return nil }
        self = value
    }
}
