import Foundation
import KaoheCore
import Vapor

/// The sheet's document written by `JSONOutput`: every action of the workflow answers with it, and every reader of
/// a sheet asks for it. `SheetJSONTests` holds it equal to what `JSONEncoder` writes of the same document, so a
/// field added to a DTO and not here fails there.
extension SheetDTO {
    func encodeResponse(for request: Request) async throws -> Response {
        var json = JSONOutput(request.byteBufferAllocator.buffer(capacity: 8_192))
        write(to: &json)
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: json.buffer))
    }

    func write(to json: inout JSONOutput) {
        json.object { json in
            json.field("period", period)
            json.field("unit", unit)
            json.field("level", level)
            json.field("rubric", rubric)
            json.field("state", state)
            json.field("version", version)
            json.field("late", late)
            json.field("selfReported", selfReported)
            json.field("reviewLate", reviewLate)
            json.field("publishedOn", publishedOn)
            json.key("entries")
            json.array(entries) { json, entry in entry.write(to: &json) }
            json.key("opinions")
            json.object { json in
                for (item, text) in opinions { json.field(item, text) }
            }
            json.field("opinion", opinion)
            json.key("evidence")
            json.array(evidence) { json, file in file.write(to: &json) }
            if let objection {
                json.key("objection")
                objection.write(to: &json)
            }
            json.key("suggestions")
            json.array(suggestions) { json, suggestion in
                json.object { json in
                    json.field("rule", suggestion.rule)
                    json.field("count", suggestion.count)
                    json.field("reason", suggestion.reason)
                }
            }
            json.key("dismissed")
            json.array(dismissed) { json, dismissal in
                json.object { json in
                    json.field("rule", dismissal.rule)
                    json.field("count", dismissal.count)
                    json.field("suggestion", dismissal.suggestion)
                    json.field("reason", dismissal.reason)
                    json.field("dismissedBy", dismissal.dismissedBy)
                    json.field("dismissedAt", dismissal.dismissedAt)
                    json.field("current", dismissal.current)
                }
            }
            json.key("pace")
            json.array(pace) { json, line in
                json.object { json in
                    json.field("activity", line.activity)
                    json.field("rule", line.rule)
                    json.field("span", line.span)
                    json.field("group", line.group)
                    json.field("needed", line.needed)
                    json.field("recorded", line.recorded)
                    json.field("behind", line.behind)
                    json.field("text", line.text)
                }
            }
            if let selfScore {
                json.key("selfScore")
                selfScore.write(to: &json)
            }
            json.key("score")
            score.write(to: &json)
        }
    }
}

extension EntryDTO {
    func write(to json: inout JSONOutput) {
        json.object { json in
            json.field("id", id)
            json.field("rule", rule)
            json.field("count", count)
            json.field("points", points)
            json.field("case", self.case)
            json.field("note", note)
            json.field("selfFound", selfFound)
            json.field("corrected", corrected)
            json.field("mitigation", mitigation)
            json.field("stage", stage)
            json.field("createdBy", createdBy)
            json.field("createdAt", createdAt)
            json.field("withdrawn", withdrawn)
            json.field("withdrawnReason", withdrawnReason)
            json.key("evidence")
            json.array(evidence) { json, id in json.value(id.uuidString) }
            json.field("source", source)
            json.field("reportedOn", reportedOn)
            json.field("mitigationDecision", mitigationDecision)
            json.field("mitigationDecisionReason", mitigationDecisionReason)
        }
    }
}

extension EvidenceDTO {
    func write(to json: inout JSONOutput) {
        json.object { json in
            json.field("id", id)
            json.field("name", name)
            json.field("type", type)
            json.field("size", size)
            json.field("sha256", sha256)
            json.field("source", source)
            json.field("sourceLabel", sourceLabel)
            json.field("entry", entry)
            json.field("objection", objection)
            json.field("uploadedBy", uploadedBy)
        }
    }
}

extension ObjectionDTO {
    func write(to json: inout JSONOutput) {
        json.object { json in
            json.field("id", id)
            json.field("state", state)
            json.field("reason", reason)
            json.field("filedBy", filedBy)
            json.field("filedAt", filedAt)
            json.field("decidedBy", decidedBy)
            json.field("decision", decision)
            json.field("decidedAt", decidedAt)
            if let outcome {
                json.key("outcome")
                json.object { json in
                    json.field("beforeTotal", outcome.beforeTotal)
                    json.field("beforeGrade", outcome.beforeGrade)
                    json.field("afterTotal", outcome.afterTotal)
                    json.field("afterGrade", outcome.afterGrade)
                }
            }
        }
    }
}

extension UnitReport {
    func write(to json: inout JSONOutput) {
        json.object { json in
            json.field("unit", unit)
            json.field("total", total)
            json.field("bonus", bonus)
            json.field("grade", grade)
            json.field("gradeLabel", gradeLabel)
            json.field("vetoed", vetoed)
            json.field("penalty", penalty)
            json.key("categories")
            json.array(categories) { json, category in
                json.object { json in
                    json.field("id", category.id)
                    json.field("score", category.score)
                    json.field("max", category.max)
                }
            }
            json.key("items")
            json.array(items) { json, item in
                json.object { json in
                    json.field("id", item.id)
                    json.field("base", item.base)
                    json.field("deducted", item.deducted)
                    json.field("score", item.score)
                }
            }
        }
    }
}
