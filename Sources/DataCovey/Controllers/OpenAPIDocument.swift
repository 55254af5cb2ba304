/// The OpenAPI 3.1 description of the JSON API, served at `GET /api/v1/openapi.json`.
/// The document lives in `Resources/openapi.json`, edited by hand with each API change, and
/// is embedded at build time; `OpenAPIDocumentTests` checks it against the router and encoders.
enum OpenAPIDocument {
    static let bytes: [UInt8] = PackageResources.openapi_json
    static var json: String { String(decoding: bytes, as: UTF8.self) }
}
