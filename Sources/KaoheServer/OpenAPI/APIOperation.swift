/// One documented `/api/v1` operation. `KaoheAPI.all` lists them all; a test holds that list
/// equal to the routes the application registers.
struct APIOperation: Sendable {
    enum Method: String, Sendable { case get, post, put, patch, delete }

    let method: Method
    /// OpenAPI form: `/api/v1/periods/{period}`.
    let path: String
    let summary: String
    let tag: String
    let requiresAuth: Bool
    let requestSchema: String?
    let responses: [(status: String, description: String, schema: String?)]
    /// How the request body is sent: JSON, or `multipart/form-data` for a file.
    var requestMediaType = "application/json"
    /// How a 2xx body comes back: JSON, or a file (CSV, XLSX, evidence).
    var successMediaType = "application/json"

    /// The same path as Vapor writes it: `/api/v1/periods/:period`.
    var vaporPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }

    var pathParameters: [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }
}
