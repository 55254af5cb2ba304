import Foundation
import Mustache

/// Server-rendered HTML: Mustache templates compiled into the binary (Resources/templates),
/// each page rendered into the layout, which shows the signed-in user, tenant and role.
/// Mustache escapes every `{{value}}` for HTML; only the rendered page body goes in unescaped.
struct Pages: Sendable {
    static let shared = Pages()

    private let library: MustacheLibrary

    private init() {
        let sources: [String: [UInt8]] = [
            "layout": PackageResources.layout_mustache,
            "signin": PackageResources.signin_mustache,
            "signed_out": PackageResources.signed_out_mustache,
            "dev_authorize": PackageResources.dev_authorize_mustache,
            "projects": PackageResources.projects_mustache,
            "project": PackageResources.project_mustache,
            "table": PackageResources.table_mustache,
            "row": PackageResources.row_mustache,
            "job": PackageResources.job_mustache,
            "query": PackageResources.query_mustache,
            "users": PackageResources.users_mustache,
            "tokens": PackageResources.tokens_mustache,
            "audit": PackageResources.audit_mustache,
            "dataset": PackageResources.dataset_mustache,
            "history": PackageResources.history_mustache,
            "trash": PackageResources.trash_mustache,
            "restore": PackageResources.restore_mustache,
            "error": PackageResources.error_mustache,
            "runs": PackageResources.runs_mustache,
            "run": PackageResources.run_mustache,
            "row_history": PackageResources.row_history_mustache,
        ]
        // The templates ship in the binary and are covered by tests: a parse failure is a bug.
        library = MustacheLibrary(templates: sources.mapValues { source in
            do { return try MustacheTemplate(string: String(decoding: source, as: UTF8.self)) } catch {
                preconditionFailure("template does not parse: \(error)")
            }
        })
    }

    /// Who the page is for, as the layout shows it.
    struct Viewer: Sendable {
        let name: String
        let email: String
        let tenant: String
        let role: Role
        let csrf: String
    }

    /// `refresh` reloads the page every two seconds (a running job's page); `refreshTo` moves
    /// the browser on at once (a navigation a form's redirect may not make: CSP form-action).
    func render(_ template: String, title: String, viewer: Viewer?, _ context: [String: Any] = [:],
                status: Int = 200, headers: [(name: String, value: String)] = [], refresh: Bool = false,
                refreshTo: String? = nil) -> Response {
        var page = context
        if let viewer { page["csrf"] = viewer.csrf; page["tenant"] = page["tenant"] ?? viewer.tenant }
        // Every template name is a literal in this module; one missing from the library is a bug.
        guard let body = library.render(Self.pruned(page), withTemplate: template) else { preconditionFailure("no template \(template)") }
        var layout: [String: Any] = ["title": title, "content": body, "refresh": refresh]
        if let refreshTo { layout["refresh_to"] = refreshTo }
        if let viewer {
            layout["caller"] = ["name": viewer.name, "email": viewer.email, "tenant": viewer.tenant,
                                "role": viewer.role.rawValue, "csrf": viewer.csrf, "nav_\(template)": true,
                                "is_admin": viewer.role >= .admin] as [String: Any]
        }
        let html = library.render(layout, withTemplate: "layout") ?? ""
        return Response(status: status,
                        headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")] + headers,
                        body: .bytes(Array(html.utf8)))
    }

    /// The context without empty strings in its dictionaries: Mustache treats "" as a true
    /// section (`{{#error}}` would show an empty error), and a missing key renders as "" anyway.
    /// Array elements stay (an empty cell is still a cell).
    static func pruned(_ value: Any) -> Any {
        switch value {
        case let dictionary as [String: Any]:
            return dictionary.compactMapValues { element -> Any? in
                if let text = element as? String, text.isEmpty { return nil }
                return pruned(element)
            }
        case let array as [[String: Any]]: return array.map { pruned($0) }
        case let array as [Any]: return array.map { pruned($0) }
        default: return value
        }
    }

    /// An error as a page: a heading and a sentence, never a stack trace or raw JSON.
    func error(_ error: HTTPError, viewer: Viewer?) -> Response {
        let heading: String = switch error.status {
        case 404: "Not found"
        case 403: "Not allowed"
        case 409: "Conflict"
        case 412: "Changed meanwhile"
        case 400, 422: "Check your input"
        default: error.status >= 500 ? "Something went wrong" : "Request refused"
        }
        let message = error.status >= 500 ? "The request could not be completed. Try again in a moment." : error.detail
        return render("error", title: heading, viewer: viewer, ["heading": heading, "message": message], status: error.status)
    }
}
