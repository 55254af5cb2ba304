/// `GET /api/v1/openapi.json`: the API's OpenAPI 3.1 document, open to everyone.
struct OpenAPIController: Sendable {
    private static let body = OpenAPIDocument.bytes

    func register(in router: inout Router) {
        router.add("GET", "/api/v1/openapi.json") { _ in
            Response(status: 200, headers: [("Content-Type", "application/json")], body: .bytes(Self.body))
        }
    }
}
