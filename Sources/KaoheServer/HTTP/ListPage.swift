import Vapor

/// `?limit=&offset=` on the API's lists: with neither, a list is whole, as the contract's lists have always been.
struct ListPage: Sendable {
    static let maxLimit = 1_000

    let limit: Int?
    let offset: Int

    /// Reads the query; a number that is not a whole number in range is a `ValidationProblem` naming its field.
    init(_ req: Request) throws {
        func number(_ field: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let text = req.query[String.self, at: field] else { return nil }
            guard let value = Int(InputText.halfWidth(text).trimmingCharacters(in: .whitespaces)), range.contains(value)
            else {
                throw ValidationProblem(
                    field: field, rule: "应为 \(range.lowerBound)–\(range.upperBound) 之间的整数 (a whole number in range)")
            }
            return value
        }
        limit = try number("limit", in: 1...Self.maxLimit)
        offset = try number("offset", in: 0...Int(Int32.max)) ?? 0
    }

    /// Whether the list is asked for whole.
    var isWhole: Bool { limit == nil && offset == 0 }

    func apply<Element>(_ items: [Element]) -> [Element] {
        let start = min(offset, items.count)
        let end = limit.map { min(start + $0, items.count) } ?? items.count
        return Array(items[start..<end])
    }
}
