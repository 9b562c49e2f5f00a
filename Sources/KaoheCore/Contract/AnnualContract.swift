import Foundation

/// The input of `kaohe annual`:
/// `{ "units": [ { "unit", "quarters": [4 totals], "bonus"?, "self", "peer": { rater: rating }, "panel", "vetoed"? } ] }`.
public struct AnnualRequest: Sendable, Equatable, Codable {
    public var units: [UnitYear]

    public init(units: [UnitYear]) { self.units = units }

    /// Reads the contract's input JSON strictly, naming every problem with its unit and field.
    public init(json: Data) throws(EntryProblems) {
        let reading = AnnualInputReading(try JSONValue.parse(json))
        guard reading.log.problems.isEmpty else { throw EntryProblems(reading.log.problems) }
        self = reading.request
    }

    public init(from decoder: any Decoder) throws {
        let reading = AnnualInputReading(try JSONValue(from: decoder))
        guard reading.log.problems.isEmpty else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: EntryProblems(reading.log.problems).description)
            )
        }
        self = reading.request
    }
}

/// The output of `kaohe annual`, in rank order. `yearly`, `peer` and `composite` are rounded half-up to 0.01
/// for presentation only: the ranking is made on the exact values.
public struct AnnualReport: Sendable, Equatable, Codable {
    public var units: [Unit]

    public struct Unit: Sendable, Equatable, Codable {
        public var unit: String
        public var yearly: Decimal
        public var peer: Decimal
        public var composite: Decimal
        public var rank: Int
        public var proposed: Bool
        public var vetoed: Bool
    }

    public init(standings: [AnnualStanding]) {
        units = standings.map {
            Unit(
                unit: $0.unit, yearly: $0.yearly.rounded(scale: 2), peer: $0.peer.rounded(scale: 2),
                composite: $0.composite.rounded(scale: 2), rank: $0.rank, proposed: $0.proposed, vetoed: $0.vetoed
            )
        }
    }

    /// Ranks every unit of the request, or names every problem of it.
    public init(rubric: Rubric, request: AnnualRequest) throws(EntryProblems) {
        self.init(standings: try AnnualSelection(rubric: rubric).rank(request.units))
    }
}

/// The walk over a `kaohe annual` input: what could be read, and what was wrong with its shape.
struct AnnualInputReading {
    var request = AnnualRequest(units: [])
    var log = InputLog()

    init(_ root: JSONValue) {
        for (index, value) in log.units(of: root).enumerated() {
            request.units.append(readUnit(value, index: index))
        }
    }

    private mutating func readUnit(_ value: JSONValue, index: Int) -> UnitYear {
        let label = InputLog.unitLabel(value, index: index)
        var messages: [FieldProblem] = []
        let fields = JSONFields(
            value, what: "the unit", required: ["unit", "quarters", "self", "peer", "panel"],
            optional: ["bonus", "vetoed"]
        ) { messages.append(($0, $1)) }
        var year = UnitYear(unit: label, quarters: [], selfRating: 0, peerRatings: [:], panel: 0)
        if fields == nil {
            // Not even an object: none of its fields can be checked.
            log.markMalformed(unit: label, fields: ["quarters", "self", "peer", "panel"])
        }
        if let fields {
            year.quarters = (fields.array("quarters") ?? []).compactMap { total in
                guard case .number(let number) = total else {
                    messages.append(("quarters", "'quarters' must list numbers, got \(total.kindName)"))
                    return nil
                }
                return number
            }
            year.bonus = fields.decimal("bonus") ?? 0
            year.selfRating = fields.decimal("self") ?? 0
            for (rater, rating) in (fields.object("peer") ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard case .number(let number) = rating else {
                    messages.append(("peer", "'peer' rating by '\(rater)' must be a number, got \(rating.kindName)"))
                    continue
                }
                year.peerRatings[rater] = number
            }
            year.panel = fields.decimal("panel") ?? 0
            year.vetoed = fields.bool("vetoed") ?? false
        }
        log.record(messages, unit: label)
        return year
    }
}
