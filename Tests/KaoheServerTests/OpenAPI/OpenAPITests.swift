import Foundation
import Testing
import VaporTesting

@testable import KaoheServer

extension ServerTests {
    @Suite struct OpenAPITests {
        /// The document and the application must name the same `/api/v1` routes: a new route without its
        /// documentation, or documentation of a removed route, fails here.
        @Test func documentNamesExactlyTheRegisteredAPIRoutes() async throws {
            try await withKaohe { app in
                let registered = Set(
                    app.routes.all.compactMap { route -> String? in
                        let path = "/" + route.path.map(\.description).joined(separator: "/")
                        return path.hasPrefix("/api/v1/") ? "\(route.method.rawValue) \(path)" : nil
                    })
                let documented = Set(KaoheAPI.all.map { "\($0.method.rawValue.uppercased()) \($0.vaporPath)" })
                #expect(registered == documented)
                #expect(!registered.isEmpty)
            }
        }

        @Test func openapiJSONIsAnOpenAPI3Document() async throws {
            try await withKaohe { app in
                try await app.testing().test(.GET, "/openapi.json") { res in
                    #expect(res.status == .ok)
                    let json = try #require(
                        try JSONSerialization.jsonObject(with: Data(res.body.readableBytesView)) as? [String: Any])
                    #expect((json["openapi"] as? String)?.hasPrefix("3.") == true)
                    let paths = try #require(json["paths"] as? [String: Any])
                    #expect(paths["/api/v1/auth/token"] != nil)
                    #expect(paths["/api/v1/me"] != nil)
                }
            }
        }

        /// A path parameter without its own limit is documented as 200,000 characters: schemathesis then sends a path
        /// the server's head limit resets (a `{document}` did). Every one names its length.
        @Test func everyPathParameterHasItsLengthLimit() {
            for op in KaoheAPI.all {
                for name in op.pathParameters {
                    #expect(TextLimits.byField[name] != nil, "\(op.path): {\(name)}")
                }
            }
        }

        @Test func everySchemaReferenceResolves() {
            let names = Set(KaoheAPI.allSchemas.map(\.0))
            for op in KaoheAPI.all {
                if let request = op.requestSchema { #expect(names.contains(request), "\(op.path) request \(request)") }
                for response in op.responses {
                    if let schema = response.schema {
                        #expect(names.contains(schema), "\(op.path) \(response.status) \(schema)")
                    }
                }
            }
        }
    }
}
