import Foundation

/// What people type, read as they mean it: one place for the forms, the API and the imports.
enum InputText {
    /// What a Chinese input method types for numbers and dates — full-width digits, point, minus, colon and
    /// spaces (３．５, ２０２６－０９－２０) — as the ASCII the parsers read.
    static func halfWidth(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar.value {
                    case 0xFF10...0xFF19, 0xFF0E, 0xFF0D, 0xFF1A: Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar
                    case 0x3000: " "
                    default: scalar
                    }
                }))
    }

    /// A plain decimal as typed (full-width digits read, spaces around it dropped): digits, one sign and a point
    /// only, never an exponent or a locale's grouping; nil for anything else.
    static func decimal(_ text: String) -> Decimal? {
        let written = halfWidth(text).trimmingCharacters(in: .whitespaces)
        guard !written.isEmpty, written.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }) else {
            return nil
        }
        return Decimal(string: written, locale: Locale(identifier: "en_US_POSIX"))
    }
}
