/// What can be deleted into the trash and restored: the kind's URL collection, its tenant views
/// (live rows only, and with trashed rows) and its parent, whose trash blocks a restore.
enum TrashKind: String, CaseIterable, Sendable {
    case project, dataset, table, query

    init?(collection: String) {
        guard let kind = Self.allCases.first(where: { $0.collection == collection }) else { return nil }
        self = kind
    }

    /// The segment of `/api/v1/{collection}/{id}/restore`.
    var collection: String {
        switch self {
        case .project: "projects"
        case .dataset: "datasets"
        case .table: "tables"
        case .query: "queries"
        }
    }

    /// The tenant view that shows live rows only (0014).
    var view: String {
        switch self {
        case .project: "projects"
        case .dataset: "datasets"
        case .table: "dataset_tables"
        case .query: "queries"
        }
    }

    /// The tenant view that shows trashed rows too; only trash code reads it.
    var viewWithTrash: String { view + "_with_trash" }

    /// The column naming the parent object (nil for projects).
    var parentColumn: String? {
        switch self {
        case .project: nil
        case .dataset, .query: "project_id"
        case .table: "dataset_id"
        }
    }

    var parentKind: TrashKind? {
        switch self {
        case .project: nil
        case .dataset, .query: .project
        case .table: .dataset
        }
    }

    /// The history kind whose versions a restore reads.
    var historyKind: HistoryKind {
        switch self {
        case .project: .projects
        case .dataset: .datasets
        case .table: .tables
        case .query: .queries
        }
    }

    /// Fields of the row a version restore writes back: what a user can edit, never ids,
    /// tenants, parents or physical names.
    var restoredFields: [String] {
        switch self {
        case .project, .dataset, .table: ["name", "description"]
        case .query: ["name", "description", "sql_text", "parameters"]
        }
    }
}
