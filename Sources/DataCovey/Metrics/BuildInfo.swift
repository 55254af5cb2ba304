/// What `datacovey_build_info{version=…}` reports: raise `version` with each release so a
/// dashboard shows which build each process runs.
public enum BuildInfo {
    public static let version = "0.14.0"
}
