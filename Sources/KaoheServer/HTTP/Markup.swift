import LeafKit

/// HTML or SVG written as text in Swift, for what a page repeats by the dozen: the board's charts, the dashboard's
/// rows. Through a template, each value was one Leaf looked up and escaped, and fifty rows or radars cost more than
/// the rest of the page. Every text and attribute value goes through LeafKit's own `htmlEscaped()`, as `#(…)` would
/// escape it. (Plot, the listed typed-HTML library, leaves attribute values unescaped, and a unit's name is an
/// attribute here.)
struct Markup {
    private(set) var text = ""

    /// `<name a="v" …>` then `content` escaped, then `</name>`; `<name … />` without content (SVG), or `<name …>`
    /// for HTML's void elements (`br`, `input`).
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, content: String? = nil) {
        open(name, attributes)
        if let content {
            text += ">" + Self.escaped(content) + "</" + name + ">"
        } else {
            text += Self.void.contains(name) ? ">" : "/>"
        }
    }

    /// `<name a="v" …>`, whose children follow until `close(name)`.
    mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        open(name, attributes)
        text += ">"
    }

    /// `start` with boolean attributes (`selected`, `checked`, `open`, `required`) written bare after the others, as
    /// the templates write them; for a void element (`input`) there is nothing to close.
    mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String>, flags: [String]) {
        open(name, attributes)
        for flag in flags { text += " " + flag }
        text += ">"
    }

    mutating func close(_ name: String) { text += "</" + name + ">" }

    /// A `<select>`'s options, the chosen one `selected`: a list of a thousand branches through a template's loop
    /// was most of 台账对照's page.
    mutating func options(_ options: [SelectOption]) {
        for option in options {
            start("option", ["value": option.value], flags: option.selected ? ["selected"] : [])
            write(option.label)
            close("option")
        }
    }

    /// Markup already written (and escaped) by another `Markup`.
    mutating func insert(_ markup: String) { text += markup }

    private static let void: Set<String> = ["br", "input"]

    /// Text between elements, escaped.
    mutating func write(_ content: String) { text += Self.escaped(content) }

    /// LeafKit's `htmlEscaped()` when there is anything to escape; most values (numbers, classes, names) have nothing,
    /// and that function rebuilds every string scalar by scalar (12 % of the board). The five are ASCII, so a byte
    /// scan finds them exactly.
    static func escaped(_ value: String) -> String {
        value.utf8.contains {
            $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">")
                || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'")
        } ? value.htmlEscaped() : value
    }

    private mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        text += "<" + name
        for (key, value) in attributes { text += " " + key + "=\"" + Self.escaped(value) + "\"" }
    }

    /// A coordinate with one decimal, as `String(format: "%.1f")` writes it but without Foundation's formatter,
    /// which cost more than the rest of a radar.
    static func number(_ value: Double, digits: Int = 1) -> String {
        guard value.isFinite else { return "0" }
        let scale = digits == 0 ? 1.0 : 10.0
        let scaled = Int((abs(value) * scale).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return digits == 0 ? sign + String(scaled) : sign + String(scaled / 10) + "." + String(scaled % 10)
    }
}
