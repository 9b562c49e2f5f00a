import Foundation

/// How the pages write numbers and times.
enum PageFormat {

    /// Points rounded half-up to 0.01, without trailing zeros: 97, 96.5, 88.25.
    static func points(_ value: Decimal) -> String { "\(value.rounded(scale: 2))" }

    /// Money in yuan with its two decimals, as finance writes it: 6000.00, 86.67.
    static func money(_ value: Decimal) -> String {
        let cents = "\(value.rounded(scale: 2))"
        guard let dot = cents.firstIndex(of: ".") else { return cents + ".00" }
        return cents + String(repeating: "0", count: max(0, 2 - cents[cents.index(after: dot)...].count))
    }

    /// A moment in the bureau's time zone: 2026-10-08 14:30.
    static func dateTime(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }

    /// A server message as people read it: the Chinese alone. API messages carry a trailing English gloss in
    /// brackets, "退回须写明理由 (reason required)", for the engineers who read the JSON.
    static func message(_ text: String) -> String {
        guard text.hasSuffix(")"), let open = text.range(of: " (", options: .backwards),
            text[open.upperBound...].allSatisfy(\.isASCII)
        else { return text }
        return String(text[..<open.lowerBound])
    }

    /// A wait as people say it: 8 秒, 3 分钟.
    static func wait(seconds: Int) -> String {
        seconds < 60 ? "\(max(1, seconds)) 秒" : "\((seconds + 59) / 60) 分钟"
    }
}
